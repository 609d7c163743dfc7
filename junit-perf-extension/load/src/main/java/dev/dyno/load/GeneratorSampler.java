package dev.dyno.load;

import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.TimeSeries;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * A {@link LoadGenerator}'s numbers over time: every tick, on a thread of its own, the answers since
 * the last tick become a point of the series {@code throughput.rps}, {@code errors.rps},
 * {@code latency.mean.ms}, {@code latency.p99.ms}, {@code in_flight} and {@code load.phase}, and
 * go to the {@link LoadGenerator.TickListener}s. Memory is constant: one interval histogram,
 * recycled, and the recorder's bounded series.
 */
final class GeneratorSampler implements AutoCloseable {

    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    private final TickLatency tickLatency = new TickLatency(HIGHEST_NANOS);
    private final LongAdder tickOk = new LongAdder();
    private final LongAdder tickFailed = new LongAdder();
    private final List<LoadGenerator.TickListener> listeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final IntSupplier inFlight;
    private final Supplier<PhaseRun> current;
    private final TimeSeries throughputSeries;
    private final TimeSeries errorSeries;
    private final TimeSeries meanSeries;
    private final TimeSeries p99Series;
    private final TimeSeries inFlightSeries;
    private final TimeSeries phaseSeries;
    private final ScheduledExecutorService ticker;
    private Histogram tickHistogram;
    private long lastTickNanos = System.nanoTime();

    /**
     * Starts ticking.
     *
     * @param inFlight the generator's requests waiting for an answer
     * @param current  the phase running now, or null
     */
    GeneratorSampler(Recorder recorder, Duration tick, IntSupplier inFlight, Supplier<PhaseRun> current) {
        this.inFlight = inFlight;
        this.current = current;
        this.throughputSeries = recorder.series("throughput.rps");
        this.errorSeries = recorder.series("errors.rps");
        this.meanSeries = recorder.series("latency.mean.ms");
        this.p99Series = recorder.series("latency.p99.ms");
        this.inFlightSeries = recorder.series("in_flight");
        this.phaseSeries = recorder.series("load.phase");
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> LoadGenerator.daemon(r, "dyno-load-sampler"));
        long tickMillis = tick.toMillis();
        ticker.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    void addListener(LoadGenerator.TickListener listener) {
        listeners.add(listener);
    }

    /** One answer: its latency from the intended start when it succeeded, else just the failure. */
    void record(long latencyNanos, boolean ok) {
        if (ok) {
            tickLatency.record(latencyNanos);
            tickOk.increment();
        } else {
            tickFailed.increment();
        }
    }

    private synchronized void tick() {
        try {
            long now = System.nanoTime();
            double seconds = Math.max(1e-3, (now - lastTickNanos) / 1e9);
            lastTickNanos = now;
            tickHistogram = tickLatency.interval(tickHistogram);
            long ok = tickOk.sumThenReset();
            long failed = tickFailed.sumThenReset();
            PhaseRun phase = current.get();
            throughputSeries.recordAt(now, ok / seconds);
            errorSeries.recordAt(now, failed / seconds);
            if (tickHistogram.getTotalCount() > 0) {
                meanSeries.recordAt(now, tickHistogram.getMean() / 1e6);
                p99Series.recordAt(now, tickHistogram.getValueAtPercentile(99) / 1e6);
            }
            inFlightSeries.recordAt(now, inFlight.getAsInt());
            phaseSeries.recordAt(now, phase == null ? -1 : phase.index());
            for (LoadGenerator.TickListener listener : listeners) {
                listener.onTick(now, phase, tickHistogram, ok, failed);
            }
        } catch (RuntimeException e) {
            System.err.println("[dyno] load sampler: " + e);
        }
    }

    /**
     * Stops ticking, waiting briefly for a tick under way, then ticks once more: the answers since
     * the last tick belong to the series and to the listeners too (an agent's interval log must
     * hold every request). Only the first close does.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tick();
    }
}
