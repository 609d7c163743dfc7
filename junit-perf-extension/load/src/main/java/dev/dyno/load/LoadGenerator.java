package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apiguardian.api.API;

/**
 * Sends load to a {@link LoadTarget} in phases and records everything into a {@link Recorder}.
 * {@code @LoadProfile} drives one; benchmarks and main methods can drive one directly.
 *
 * <h2>Open model</h2>
 * {@link #open} sends requests at the times an {@link ArrivalRatePacer} intends, whether or not
 * earlier ones have answered. The pacer runs on the calling thread: it parks until shortly before
 * each due time and spins the rest, so it wakes within microseconds. Each request's latency is
 * recorded from its intended start into {@code <phase>.latency} and from its real send into
 * {@code <phase>.service_time}; the difference between the two start times goes into
 * {@code generator.lag}. A request is counted {@code late} when its lag exceeds
 * {@link Settings#lateAfter()}, and {@code dropped} (a failure) when {@link Settings#maxInFlight()}
 * requests are already waiting.
 *
 * <h2>Closed model</h2>
 * {@link #closed} runs a number of users, each sending its next request when its previous one has
 * answered, until a number of requests or a time is reached: the guide's "20 requests, 2
 * concurrent".
 *
 * <h2>Metrics</h2>
 * Per phase: timers {@code <phase>.latency} and {@code <phase>.service_time} (successful requests),
 * counters {@code <phase>.requests}, {@code .ok}, {@code .failed}, {@code .late}, {@code .queued},
 * {@code .abandoned}, timer {@code <phase>.queue_wait} (intended start to the service start the
 * target reports), gauges {@code <phase>.offered_rps} and {@code .achieved_rps} (see {@link TargetPace}), distribution
 * {@code <phase>.failures} (by {@link Outcome}), gauges {@code <phase>.success_rate} and
 * {@code <phase>.throughput}. Every {@link Settings#tick()}: series {@code throughput.rps},
 * {@code errors.rps}, {@code latency.mean.ms}, {@code latency.p99.ms}, {@code in_flight} and
 * {@code load.phase} (the index of the running phase). Memory is constant: histograms and
 * bounded series, never lists of samples.
 *
 * <pre>{@code
 * try (LoadTarget target = LoadTarget.http(HttpRequestSpec.get(uri));
 *      LoadGenerator generator = new LoadGenerator(target, recorder, LoadGenerator.Settings.DEFAULT)) {
 *     PhaseRun spike = generator.open("spike", ArrivalRatePacer.constant(15, Duration.ofSeconds(30)));
 *     generator.drain(Duration.ofSeconds(30));
 *     System.out.println(spike.stats().summary());
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LoadGenerator implements AutoCloseable {

    /**
     * How a generator behaves.
     *
     * @param maxInFlight  the most requests waiting for an answer; more are dropped (open model)
     * @param lateAfter    the scheduling lag from which a request counts as late
     * @param tick         how often the over-time series get a point
     * @param drainTimeout how long to wait for requests still in flight before abandoning them
     */
    public record Settings(int maxInFlight, Duration lateAfter, Duration tick, Duration drainTimeout) {
        public static final Settings DEFAULT = new Settings(1000, Duration.ofMillis(5), Duration.ofSeconds(1),
                Duration.ofSeconds(31));

        public Settings {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight " + maxInFlight + " must be at least 1");
            }
            Objects.requireNonNull(lateAfter, "lateAfter");
            if (tick == null || tick.toMillis() < 10) {
                throw new IllegalArgumentException("tick " + tick + " must be at least 10 ms");
            }
            Objects.requireNonNull(drainTimeout, "drainTimeout");
        }

        public Settings withMaxInFlight(int maxInFlight) {
            return new Settings(maxInFlight, lateAfter, tick, drainTimeout);
        }

        public Settings withLateAfter(Duration lateAfter) {
            return new Settings(maxInFlight, lateAfter, tick, drainTimeout);
        }

        public Settings withTick(Duration tick) {
            return new Settings(maxInFlight, lateAfter, tick, drainTimeout);
        }

        public Settings withDrainTimeout(Duration drainTimeout) {
            return new Settings(maxInFlight, lateAfter, tick, drainTimeout);
        }
    }

    /** Receives each tick's numbers on the sampling thread; the histogram is reused after the call. */
    @FunctionalInterface
    public interface TickListener {
        void onTick(long nanoTime, PhaseRun phase, Histogram successLatency, long ok, long failed);
    }

    private final LoadTarget target;
    private final Recorder recorder;
    private final Settings settings;
    /**
     * Requests of all phases waiting for an answer: raised here on dispatch, lowered by each
     * {@link PhaseRun} as its requests answer or are abandoned.
     */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<PhaseRun> phases = new CopyOnWriteArrayList<>();
    private final OpenLoop openLoop;
    private final ClosedLoop.Handoff handoff = new ClosedLoop.Handoff();
    private final GeneratorSampler sampler;
    private volatile boolean stopped;
    private volatile PhaseRun current;

    public LoadGenerator(LoadTarget target, Recorder recorder, Settings settings) {
        this.target = Objects.requireNonNull(target, "target");
        if (target instanceof HttpTarget http) {
            http.recordInto(recorder);
        }
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.openLoop = new OpenLoop(this, recorder);
        // Last: it starts ticking, and its ticks read this generator.
        this.sampler = new GeneratorSampler(recorder, settings.tick(), inFlight::get, () -> current);
    }

    /** Adds a listener called on every tick, such as a per-minute soak window. */
    public void addTickListener(TickListener listener) {
        sampler.addListener(listener);
    }

    /**
     * Runs an open-model phase on this thread: returns at the pacer's scheduled end (or when
     * {@link #stop()}ped), with requests possibly still in flight.
     */
    public PhaseRun open(String name, ArrivalRatePacer pacer) {
        PhaseRun phase = begin(name, pacer.meanRps(), 0);
        openLoop.run(phase, pacer);
        phase.ended();
        return phase;
    }

    /**
     * Runs a closed-model phase: {@code users} users each send a request, wait for its answer and
     * send the next, until {@code requests} requests are done or {@code maxDuration} has passed.
     * Returns when every user has stopped (or, at the latest, after the drain timeout).
     */
    public PhaseRun closed(String name, int users, long requests, Duration maxDuration) {
        if (users < 1 || requests < 1) {
            throw new IllegalArgumentException("users " + users + " and requests " + requests + " must be at least 1");
        }
        PhaseRun phase = begin(name, Double.NaN, users);
        ClosedLoop loop = new ClosedLoop(this, handoff, phase, users, requests, phase.startNanos() + maxDuration.toNanos());
        loop.start();
        try {
            if (!loop.await(maxDuration.plus(settings.drainTimeout()).toNanos())) {
                phase.abandon();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            phase.abandon();
        }
        phase.ended();
        return phase;
    }

    /**
     * Waits until no request is in flight, at most the drain timeout; what is still in flight then
     * is counted as {@link Outcome#ABANDONED}. Returns whether everything answered.
     */
    public boolean drain() {
        return drain(settings.drainTimeout());
    }

    /** {@link #drain()} with a bound of its own. */
    public boolean drain(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(2_000_000);
        }
        boolean all = inFlight.get() <= 0;
        phases.forEach(PhaseRun::abandon);
        return all;
    }

    /** Stops the running phase as soon as possible; later phases return at once. Thread-safe. */
    public void stop() {
        stopped = true;
        openLoop.wake();
    }

    public boolean stopped() {
        return stopped;
    }

    /** Requests waiting for an answer now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The phases so far, in order. */
    public List<PhaseRun> phases() {
        return List.copyOf(phases);
    }

    /** The phase running now, or null. */
    public PhaseRun current() {
        return current;
    }

    /** How well the generator kept its schedule so far. */
    public GeneratorHealth health() {
        return openLoop.health();
    }

    public Settings settings() {
        return settings;
    }

    /** Stops sampling and any phase still running. Does not close the target. */
    @Override
    public void close() {
        stop();
        sampler.close();
        handoff.close();
    }

    private PhaseRun begin(String name, double targetRps, int users) {
        PhaseRun phase = new PhaseRun(name, phases.size(), targetRps, users, target.kinds(), settings.lateAfter(),
                recorder, sampler, inFlight);
        phases.add(phase);
        current = phase;
        return phase;
    }

    /** Sends one request of {@code phase} to the target; {@code completion} hears its end, whatever it is. */
    void dispatch(PhaseRun phase, long intended, long sent, LoadTarget.Completion completion) {
        phase.sending();
        inFlight.incrementAndGet();
        try {
            target.send(intended, sent, completion);
        } catch (RuntimeException e) {
            completion.complete(intended, sent, Outcome.ERROR);
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
