package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import org.apiguardian.api.API;

/**
 * The points of a {@link TimeSeries} at one moment. Offsets are nanoseconds since the test started.
 *
 * @param recorded how many values were recorded, including those merged into coarser points
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TimeSeriesSnapshot(String name, long[] offsetsNanos, double[] values, long recorded) {

    public int size() {
        return values.length;
    }

    public DoubleSummaryStatistics statistics() {
        return Arrays.stream(values).summaryStatistics();
    }

    /** The last value, or NaN when empty. */
    public double last() {
        return values.length == 0 ? Double.NaN : values[values.length - 1];
    }
}
