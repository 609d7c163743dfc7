package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * A named value that is set rather than accumulated, such as a workload's reported
 * {@code cpu_allocated} or a queue depth. Keeps the last, lowest and highest value set.
 *
 * <pre>{@code
 * recorder.gauge("queue.depth").set(queue.size());
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Gauge implements Metric {

    private static final long UNSET = Double.doubleToRawLongBits(Double.NaN);

    private final String name;
    private final AtomicLong last = new AtomicLong(UNSET);
    private final AtomicLong min = new AtomicLong(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
    private final AtomicLong max = new AtomicLong(Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY));

    Gauge(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** Sets the value. Allocation-free; NaN is rejected because it would poison min and max. */
    public void set(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("gauge '" + name + "' cannot be set to NaN");
        }
        last.set(Double.doubleToRawLongBits(value));
        min.accumulateAndGet(Double.doubleToRawLongBits(value), Gauge::lower);
        max.accumulateAndGet(Double.doubleToRawLongBits(value), Gauge::higher);
    }

    private static long lower(long a, long b) {
        return Double.longBitsToDouble(a) <= Double.longBitsToDouble(b) ? a : b;
    }

    private static long higher(long a, long b) {
        return Double.longBitsToDouble(a) >= Double.longBitsToDouble(b) ? a : b;
    }

    /** The last value set, or NaN when never set. */
    public double value() {
        return Double.longBitsToDouble(last.get());
    }

    @Override
    public GaugeSnapshot snapshot() {
        return new GaugeSnapshot(name, value(), Double.longBitsToDouble(min.get()), Double.longBitsToDouble(max.get()));
    }

    /**
     * A gauge's value at one moment, with the extremes seen so far.
     *
     * @since 0.1
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record GaugeSnapshot(String name, double value, double min, double max) {
        public boolean isSet() {
            return !Double.isNaN(value);
        }
    }
}
