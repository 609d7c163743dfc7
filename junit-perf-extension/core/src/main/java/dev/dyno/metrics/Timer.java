package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apiguardian.api.API;

/**
 * A named latency histogram.
 *
 * <p>Values go into an HdrHistogram {@link Recorder} of fixed range (1 ns to 1 h, 3 significant
 * digits), so recording is wait-free, allocation-free and the memory is the same after a second or
 * a week. Values above the range are clamped to it and counted in {@link TimerSnapshot#clamped()}.
 *
 * <pre>{@code
 * Timer lookups = recorder.timer("db.lookup");
 * long start = System.nanoTime();
 * db.lookup(key);
 * lookups.recordSince(start);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Timer implements Metric {

    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.HOURS.toNanos(1);
    static final int SIGNIFICANT_DIGITS = 3;

    private final String name;
    // HdrHistogram's Recorder (imported: it shadows this package's Recorder, which a Timer never needs)
    private final Recorder recorder = new Recorder(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    private final LongAdder clamped = new LongAdder();
    // Guarded by this: the interval histogram is recycled between snapshots, the total accumulates.
    private Histogram interval;
    private final Histogram total = new Histogram(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);

    Timer(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** Records one duration in nanoseconds. Allocation-free and safe from any thread. */
    public void recordNanos(long nanos) {
        if (nanos < 1 || nanos > HIGHEST_TRACKABLE_NANOS) {
            clamped.increment();
            nanos = nanos < 1 ? 1 : HIGHEST_TRACKABLE_NANOS;
        }
        recorder.recordValue(nanos);
    }

    /** Records the time elapsed since a {@link System#nanoTime()} reading. */
    public void recordSince(long startNanos) {
        recordNanos(System.nanoTime() - startNanos);
    }

    /** Records one duration. */
    public void record(Duration duration) {
        recordNanos(duration.toNanos());
    }

    /** Runs the action and records how long it took, also when it throws. */
    public void time(Runnable action) {
        long start = System.nanoTime();
        try {
            action.run();
        } finally {
            recordSince(start);
        }
    }

    /** Calls the action and records how long it took, also when it throws. */
    public <T> T time(Callable<T> action) throws Exception {
        long start = System.nanoTime();
        try {
            return action.call();
        } finally {
            recordSince(start);
        }
    }

    /**
     * Starts a measurement that ends when the returned sample is closed.
     *
     * <pre>{@code
     * try (var sample = recorder.timer("import").start()) {
     *     importEverything();
     * }
     * }</pre>
     */
    public Sample start() {
        return new Sample(this, System.nanoTime());
    }

    /** An open measurement of a {@link Timer}; closing it records the elapsed time once. */
    public static final class Sample implements AutoCloseable {
        private final Timer timer;
        private final long startNanos;
        private boolean stopped;

        private Sample(Timer timer, long startNanos) {
            this.timer = timer;
            this.startNanos = startNanos;
        }

        /** Records the elapsed time and returns it; later calls do nothing and return zero. */
        public Duration stop() {
            if (stopped) {
                return Duration.ZERO;
            }
            stopped = true;
            long elapsed = System.nanoTime() - startNanos;
            timer.recordNanos(elapsed);
            return Duration.ofNanos(elapsed);
        }

        @Override
        public void close() {
            stop();
        }
    }

    /**
     * Adds every value of a histogram recorded elsewhere, such as a load agent's in another JVM, as
     * if each had been recorded here: merging histograms is exact, so percentiles over the merged
     * timer are those of all the values together. Values outside 1 ns..1 h are clamped and counted
     * as {@link #recordNanos} does.
     *
     * @since 0.2
     */
    public synchronized void add(Histogram values) {
        for (org.HdrHistogram.HistogramIterationValue v : values.recordedValues()) {
            long nanos = v.getValueIteratedTo();
            long count = v.getCountAtValueIteratedTo();
            if (nanos < 1 || nanos > HIGHEST_TRACKABLE_NANOS) {
                clamped.add(count);
                nanos = nanos < 1 ? 1 : HIGHEST_TRACKABLE_NANOS;
            }
            total.recordValueWithCount(nanos, count);
        }
    }

    /** Everything recorded so far, as an immutable copy. */
    @Override
    public synchronized TimerSnapshot snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return new TimerSnapshot(name, total.copy(), clamped.sum());
    }
}
