package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * One row of the guide's configuration table: no boost, or a boost {@code factor} for
 * {@code duration}, restored early at readiness when {@code untilReady}.
 *
 * @param id         how reports and metrics name it: {@code baseline}, {@code boost-2x}, {@code boost-2x-30s}
 * @param factor     the CPU multiplier while boosted; 1 for the baseline
 * @param duration   how long the boost lasts at most; zero for the baseline
 * @param untilReady whether readiness ends the boost early
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record BoostConfiguration(String id, double factor, Duration duration, boolean untilReady) {

    /** The id of the configuration without a boost. */
    public static final String BASELINE = "baseline";

    /** The guide's table, the value {@code {"guide"}} stands for. */
    public static final List<String> GUIDE = List.of(BASELINE, "1.5x/30s", "2x/60s", "3x/60s", "5x/120s");

    private static final Pattern BOOST = Pattern.compile("(\\d+(?:\\.\\d+)?)x/(.+)");

    /** Whether this is the baseline (no boost). */
    public boolean isBaseline() {
        return factor == 1.0 && duration.isZero();
    }

    /** How it is written in the annotation: {@code baseline} or {@code 2x/60s}. */
    public String label() {
        return isBaseline() ? BASELINE : factorText(factor) + "x/" + compact(duration)
                + (untilReady ? " or ready" : "");
    }

    /**
     * Reads {@link CpuBoost#configurations()}: checks every entry and names the ids.
     *
     * @throws ExtensionConfigurationException naming the attribute, the value and what is allowed
     */
    static List<BoostConfiguration> parseAll(String attribute, String[] values, boolean untilReady) {
        List<String> texts = new ArrayList<>();
        for (String value : values) {
            if (value.strip().equalsIgnoreCase("guide")) {
                texts.addAll(GUIDE);
            } else {
                texts.add(value.strip());
            }
        }
        if (texts.isEmpty()) {
            throw CpuBoostExtension.invalid(attribute, List.of(values), "at least \"baseline\" and one boost, "
                    + "such as {\"baseline\", \"2x/60s\"}, or {\"guide\"} for the guide's table");
        }
        List<double[]> parsed = new ArrayList<>();
        List<Duration> durations = new ArrayList<>();
        boolean baseline = false;
        for (String text : texts) {
            if (text.equalsIgnoreCase(BASELINE)) {
                if (baseline) {
                    throw CpuBoostExtension.invalid(attribute, texts, "\"baseline\" at most once");
                }
                baseline = true;
                parsed.add(new double[] {1});
                durations.add(Duration.ZERO);
                continue;
            }
            Matcher m = BOOST.matcher(text.toLowerCase(Locale.ROOT));
            if (!m.matches() || !DurationText.isDuration(m.group(2))) {
                throw CpuBoostExtension.invalid(attribute, text, "\"baseline\" or \"<factor>x/<duration>\" "
                        + "such as \"2x/60s\" or \"1.5x/30s\"");
            }
            double factor = Double.parseDouble(m.group(1));
            if (!(factor > 1)) {
                throw CpuBoostExtension.invalid(attribute, text, "a boost factor above 1 (a factor below 1 "
                        + "would throttle the start; 1 is the baseline), such as \"2x/60s\"");
            }
            Duration duration = DurationText.parse("@CpuBoost(" + attribute + ")", m.group(2));
            if (duration.isZero() || duration.isNegative()) {
                throw CpuBoostExtension.invalid(attribute, text, "a positive boost duration, such as \"2x/60s\"");
            }
            parsed.add(new double[] {factor});
            durations.add(duration);
        }
        if (!baseline) {
            throw CpuBoostExtension.invalid(attribute, texts, "a list that includes \"baseline\": every boost "
                    + "is measured against it, such as {\"baseline\", \"2x/60s\"}");
        }
        if (texts.size() < 2) {
            throw CpuBoostExtension.invalid(attribute, texts, "\"baseline\" and at least one boost, such as "
                    + "{\"baseline\", \"2x/60s\"}");
        }
        Map<Double, Integer> perFactor = new HashMap<>();
        parsed.forEach(f -> perFactor.merge(f[0], 1, Integer::sum));
        List<BoostConfiguration> configurations = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < parsed.size(); i++) {
            double factor = parsed.get(i)[0];
            Duration duration = durations.get(i);
            String id;
            if (duration.isZero()) {
                id = BASELINE;
            } else {
                id = "boost-" + factorText(factor) + "x"
                        + (perFactor.get(factor) > 1 ? "-" + compact(duration) : "");
            }
            if (!ids.add(id)) {
                throw CpuBoostExtension.invalid(attribute, texts, "each configuration at most once; \""
                        + texts.get(i) + "\" repeats " + id);
            }
            configurations.add(new BoostConfiguration(id, factor, duration, untilReady && !duration.isZero()));
        }
        return configurations;
    }

    /** {@code 30s}, {@code 2m}, {@code 1500ms}: as people write boost durations. */
    static String compact(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1_000 == 0 ? millis / 1_000 + "s" : millis + "ms";
    }

    static String factorText(double factor) {
        return factor == Math.rint(factor) ? Long.toString((long) factor)
                : String.format(Locale.ROOT, "%s", Double.toString(factor)).replaceAll("0+$", "");
    }
}
