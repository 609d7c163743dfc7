package dev.dyno.jfr;

import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Phase.PhaseRecord;
import dev.dyno.stats.Comparison;
import dev.dyno.view.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The two sides of an old-against-new run inside one test method, as the stretches of time each
 * ran in: the phases and steps the test recorded, with their real start and end. A sample of the
 * recording belongs to the side whose stretch holds its time.
 */
record Sides(Side baseline, Side variant) {

    /** A side's name and the stretches of time it ran in. */
    record Side(String name, List<Window> windows) {

        boolean holds(Instant time) {
            for (Window window : windows) {
                if (window.holds(time)) {
                    return true;
                }
            }
            return false;
        }

        Duration length() {
            return windows.stream().map(w -> Duration.between(w.start(), w.end())).reduce(Duration.ZERO, Duration::plus);
        }
    }

    /** From {@code start} (inclusive) to {@code end} (exclusive). */
    record Window(Instant start, Instant end) {

        boolean holds(Instant time) {
            return !time.isBefore(start) && time.isBefore(end);
        }
    }

    /** Refuses a {@code compare} value that cannot name two sides, before the method runs. */
    static void validate(String[] patterns) {
        if (patterns.length == 0) {
            return;
        }
        if (patterns.length != 2 || Arrays.stream(patterns).anyMatch(String::isBlank)) {
            throw new ExtensionConfigurationException("@JfrRecording(compare) value " + Arrays.stream(patterns)
                    .map(p -> "\"" + p + "\"").collect(Collectors.joining(", ", "{", "}"))
                    + " does not name two sides; allowed: none (the baseline and variant of a Comparison recorded"
                    + " in the method) or two non-blank phase or step names, the baseline's then the variant's,"
                    + " with * for any text, such as {\"old: *\", \"new: *\"}");
        }
    }

    /**
     * The sides of what {@code snapshot} recorded: with {@code patterns}, the phases (by name or
     * path) and steps (by name) each pattern matches; without, the measured trials of the
     * comparisons recorded into the test ({@link Comparison#recordInto}), warm-ups left out. Empty
     * when there are no patterns and no comparison.
     *
     * @throws ExtensionConfigurationException when a pattern matches no phase or step
     */
    static Optional<Sides> of(String[] patterns, MetricsSnapshot snapshot) {
        if (patterns.length == 0) {
            Side baseline = comparisonSide(snapshot, Comparison.BASELINE);
            Side variant = comparisonSide(snapshot, Comparison.VARIANT);
            return baseline.windows().isEmpty() || variant.windows().isEmpty() ? Optional.empty()
                    : Optional.of(new Sides(baseline, variant));
        }
        return Optional.of(new Sides(matching(patterns[0], snapshot), matching(patterns[1], snapshot)));
    }

    private static Side matching(String pattern, MetricsSnapshot snapshot) {
        Pattern glob = glob(pattern);
        List<Window> windows = new ArrayList<>();
        for (PhaseRecord phase : snapshot.phases()) {
            if (glob.matcher(phase.name()).matches() || glob.matcher(phase.path()).matches()) {
                // to the nanosecond, not the millisecond of startEpochMillis: a sample near the edge goes to its side
                Instant start = snapshot.startedAt().plusNanos(phase.startOffsetNanos());
                windows.add(new Window(start, start.plus(phase.duration())));
            }
        }
        for (Step step : snapshot.steps()) {
            if (glob.matcher(step.name()).matches()) {
                windows.add(new Window(step.start(), step.end()));
            }
        }
        if (windows.isEmpty()) {
            Set<String> recorded = new LinkedHashSet<>();
            snapshot.phases().forEach(p -> recorded.add(p.path()));
            snapshot.steps().forEach(s -> recorded.add(s.name()));
            throw new ExtensionConfigurationException("@JfrRecording(compare) value \"" + pattern
                    + "\" matches no phase or step of the method; allowed: a name (* for any text) of those it recorded: "
                    + (recorded.isEmpty() ? "none" : recorded.stream().limit(20).map(n -> "\"" + n + "\"")
                    .collect(Collectors.joining(", ")) + (recorded.size() > 20 ? ", …" : "")));
        }
        return new Side(pattern, windows);
    }

    private static Side comparisonSide(MetricsSnapshot snapshot, String side) {
        List<Window> windows = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Step step : snapshot.steps()) {
            if (side.equals(step.parameters().get(Comparison.STEP_SIDE))
                    && !step.parameters().getOrDefault(Comparison.STEP_ROUND, "").startsWith("warm-up")) {
                windows.add(new Window(step.start(), step.end()));
                // "join: concat (round 3)" is side "join: concat"
                int round = step.name().lastIndexOf(" (round ");
                names.add(round < 0 ? step.name() : step.name().substring(0, round));
            }
        }
        return new Side(String.join(" + ", names), windows);
    }

    private static Pattern glob(String pattern) {
        return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }
}
