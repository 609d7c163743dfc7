package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Timestamped value samples, such as CPU cores used every 100 ms or requests per second.
 *
 * <p>Memory is fixed: the series holds at most {@value #CAPACITY} points. When it is full, each
 * pair of neighbouring points is merged into one (mean value, first timestamp) and from then on
 * every point stands for twice as many values, so a long run keeps its whole shape at an even,
 * coarser resolution instead of losing its start or its end. Recording takes a short lock and
 * never allocates.
 *
 * <pre>{@code
 * TimeSeries cpu = recorder.series("cpu.cores");
 * cpu.record(sample.cpuCores());
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TimeSeries implements Metric {

    static final int CAPACITY = 4096;

    private final String name;
    private final long originNanos;
    // Guarded by this.
    private final long[] offsetsNanos = new long[CAPACITY];
    private final double[] values = new double[CAPACITY];
    private int size;
    private long recorded;
    // Each point is the mean of `stride` consecutive values; the newest ones wait in `pending`.
    private int stride = 1;
    private long pendingOffset;
    private double pendingSum;
    private int pendingCount;

    TimeSeries(String name, long originNanos) {
        this.name = name;
        this.originNanos = originNanos;
    }

    @Override
    public String name() {
        return name;
    }

    /** Records a value now. */
    public void record(double value) {
        recordAt(System.nanoTime(), value);
    }

    /** Records a value at a {@link System#nanoTime()} reading. */
    public synchronized void recordAt(long nanoTime, double value) {
        if (pendingCount == 0) {
            pendingOffset = nanoTime - originNanos;
        }
        pendingSum += value;
        pendingCount++;
        recorded++;
        if (pendingCount < stride) {
            return;
        }
        if (size == CAPACITY) {
            halve();
            if (pendingCount < stride) {
                return;
            }
        }
        offsetsNanos[size] = pendingOffset;
        values[size] = pendingSum / pendingCount;
        size++;
        pendingSum = 0;
        pendingCount = 0;
    }

    private void halve() {
        for (int i = 0; i < size / 2; i++) {
            values[i] = (values[2 * i] + values[2 * i + 1]) / 2;
            offsetsNanos[i] = offsetsNanos[2 * i];
        }
        size /= 2;
        stride *= 2;
    }

    @Override
    public synchronized TimeSeriesSnapshot snapshot() {
        long[] offsets = Arrays.copyOf(offsetsNanos, size + (pendingCount > 0 ? 1 : 0));
        double[] copy = Arrays.copyOf(values, offsets.length);
        if (pendingCount > 0) {
            // The newest values are shown too, as a partial point.
            offsets[size] = pendingOffset;
            copy[size] = pendingSum / pendingCount;
        }
        return new TimeSeriesSnapshot(name, offsets, copy, recorded);
    }
}
