package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DurationText;
import dev.dyno.stats.Estimate;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * How much shorter a timing was with a boost than without, as the guide computes it
 * ({@code (baseline − boosted) / baseline} of the means), with a confidence interval from the
 * repetitions: 0.30 is 30 % shorter.
 *
 * @param workload      the workload
 * @param configuration the boost's configuration id, such as {@code boost-2x}
 * @param metric        {@code total}, {@code wall}, or a phase such as {@code import_time}
 * @param baselineMean  the mean without a boost
 * @param boostedMean   the mean with it
 * @param baselineRuns  starts measured without a boost
 * @param boostedRuns   starts measured with it
 * @param improvement   the improvement, with its interval (Welch, delta method: see {@link ImprovementMath})
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record BoostImprovement(String workload, String configuration, String metric, Duration baselineMean,
        Duration boostedMean, int baselineRuns, int boostedRuns, Estimate improvement) {

    @Override
    public String toString() {
        return workload + " " + configuration + " " + metric + ": " + improvement.toPercentText() + " shorter ("
                + DurationText.format(baselineMean) + " → " + DurationText.format(boostedMean) + ", " + baselineRuns
                + " + " + boostedRuns + " starts)";
    }
}
