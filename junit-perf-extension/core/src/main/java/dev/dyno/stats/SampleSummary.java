package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apache.commons.statistics.descriptive.Max;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Min;
import org.apache.commons.statistics.descriptive.StandardDeviation;
import org.apiguardian.api.API;

/**
 * One side's samples of one metric and their summary. Durations are in nanoseconds.
 *
 * @param name the side's name, such as {@code "baseline"}
 * @param samples every sample in the order it was taken
 * @param statistic the compared statistic of the samples (the median by default)
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record SampleSummary(String name, List<Double> samples, double statistic, double mean, double stdDev,
        double min, double max) {

    public SampleSummary {
        samples = List.copyOf(samples);
    }

    static SampleSummary of(String name, double[] values, Statistic statistic) {
        return new SampleSummary(name, java.util.Arrays.stream(values).boxed().toList(), statistic.of(values.clone()),
                Mean.of(values).getAsDouble(), StandardDeviation.of(values).getAsDouble(), Min.of(values).getAsDouble(),
                Max.of(values).getAsDouble());
    }

    /** How many samples. */
    public int count() {
        return samples.size();
    }

    /** The standard deviation relative to the mean, a quick measure of the run's noise. */
    public double coefficientOfVariation() {
        return mean == 0 ? Double.NaN : stdDev / Math.abs(mean);
    }
}
