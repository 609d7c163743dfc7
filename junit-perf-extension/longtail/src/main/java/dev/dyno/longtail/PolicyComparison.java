package dev.dyno.longtail;

import dev.dyno.stats.Comparison;
import dev.dyno.stats.ComparisonResult;
import dev.dyno.stats.Measurement;
import dev.dyno.stats.Order;
import java.time.Duration;
import java.util.List;

/**
 * A policy's makespans against DEFAULT's through Dyno's comparison engine: median makespans, a
 * seeded bootstrap confidence interval of the improvement, a Mann-Whitney U test and a verdict.
 * The runs themselves were interleaved by {@link LongTailSchedulerExtension} (each round runs
 * every policy once, alternating the order), so they are analysed here, not run again.
 */
final class PolicyComparison {

    static final String METRIC = "makespan";

    private PolicyComparison() {
    }

    static ComparisonResult compare(String baselineName, List<Duration> baseline, String variantName,
            List<Duration> variant) {
        return Comparison.between(baselineName, variantName).order(Order.ALTERNATING)
                .analyze(measurements(baseline), measurements(variant));
    }

    private static List<Measurement> measurements(List<Duration> makespans) {
        return makespans.stream().map(d -> Measurement.of(METRIC, d)).toList();
    }
}
