package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.apiguardian.api.API;

/**
 * What a {@link Timer} recorded up to one moment. Values are nanoseconds.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TimerSnapshot {

    private final String name;
    private final Histogram histogram;
    private final long clamped;

    TimerSnapshot(String name, Histogram histogram, long clamped) {
        this.name = name;
        this.histogram = histogram;
        this.clamped = clamped;
    }

    public String name() {
        return name;
    }

    /** How many values were recorded. */
    public long count() {
        return histogram.getTotalCount();
    }

    /** The value at a percentile between 0 and 100, e.g. {@code percentile(99.9)}. Zero when empty. */
    public Duration percentile(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be between 0 and 100, was " + percentile);
        }
        return Duration.ofNanos(count() == 0 ? 0 : histogram.getValueAtPercentile(percentile));
    }

    public Duration min() {
        return Duration.ofNanos(count() == 0 ? 0 : histogram.getMinValue());
    }

    public Duration max() {
        return Duration.ofNanos(count() == 0 ? 0 : histogram.getMaxValue());
    }

    public Duration mean() {
        return Duration.ofNanos(count() == 0 ? 0 : Math.round(histogram.getMean()));
    }

    public Duration median() {
        return percentile(50);
    }

    public Duration stdDeviation() {
        return Duration.ofNanos(count() == 0 ? 0 : Math.round(histogram.getStdDeviation()));
    }

    /** The sum of all recorded values (to the histogram's precision). */
    public Duration total() {
        return Duration.ofNanos(Math.round(histogram.getMean() * count()));
    }

    /** Values that fell outside 1 ns..1 h and were clamped to the range. */
    public long clamped() {
        return clamped;
    }

    /** A copy of the underlying histogram, for charts and exact merging across runs. */
    public Histogram histogram() {
        return histogram.copy();
    }

    /** HdrHistogram's own percentile distribution text, in milliseconds. */
    public String percentileDistribution() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            histogram.outputPercentileDistribution(out, 5, 1_000_000.0);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return name + "{count=" + count() + ", mean=" + mean() + ", p99=" + percentile(99) + ", max=" + max() + "}";
    }
}
