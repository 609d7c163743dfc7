package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Durations as annotations write them: a number and a unit, such as {@code "500ms"}, {@code "2s"},
 * {@code "1.5m"}. Units: {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m},
 * {@code h}.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class DurationText {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private DurationText() {
    }

    /** True when the text is a duration in this notation. */
    public static boolean isDuration(String text) {
        return text != null && DURATION.matcher(text.strip()).matches();
    }

    /**
     * Parses a duration given for an annotation attribute.
     *
     * @param attribute how to name the attribute in an error, such as {@code "@CpuBoost(duration)"}
     * @throws ExtensionConfigurationException naming the attribute, the value and what is allowed
     */
    public static Duration parse(String attribute, String text) {
        Matcher m = text == null ? null : DURATION.matcher(text.strip());
        if (m == null || !m.matches()) {
            String why = text != null && text.strip().startsWith("-") ? " (durations cannot be negative)" : "";
            throw new ExtensionConfigurationException(attribute + " value \"" + text + "\" is not a duration" + why
                    + ": write a number and a unit (ns, us, ms, s, m or h) with no space, such as \"500ms\", \"2s\" or \"1.5m\"");
        }
        BigDecimal amount = new BigDecimal(m.group(1));
        long nanosPerUnit = switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
        return Duration.ofNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValue());
    }

    /** Like {@link #parse}, and the duration must be above zero. */
    public static Duration parsePositive(String attribute, String text) {
        Duration duration = parse(attribute, text);
        if (duration.isZero()) {
            throw new ExtensionConfigurationException(attribute + " value \"" + text
                    + "\" must be above zero, such as \"500ms\" or \"2s\"");
        }
        return duration;
    }

    /** A short human form with three significant digits: {@code 1.23s}, {@code 12.5ms}, {@code 850µs}. */
    public static String format(Duration duration) {
        return formatNanos(duration.toNanos());
    }

    /** {@link #format(Duration)} for a nanosecond count. */
    public static String formatNanos(double nanos) {
        double abs = Math.abs(nanos);
        if (abs >= 60e9) {
            return String.format(Locale.ROOT, "%.3gm", nanos / 60e9);
        }
        if (abs >= 1e9) {
            return String.format(Locale.ROOT, "%.3gs", nanos / 1e9);
        }
        if (abs >= 1e6) {
            return String.format(Locale.ROOT, "%.3gms", nanos / 1e6);
        }
        if (abs >= 1e3) {
            return String.format(Locale.ROOT, "%.3gµs", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.0fns", nanos);
    }
}
