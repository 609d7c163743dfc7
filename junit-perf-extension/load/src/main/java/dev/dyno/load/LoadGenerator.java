package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Counter;
import dev.dyno.metrics.TimeSeries;
import dev.dyno.metrics.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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
 *     LoadGenerator.Phase spike = generator.open("spike", ArrivalRatePacer.constant(15, Duration.ofSeconds(30)));
 *     generator.drain(Duration.ofSeconds(30));
 *     System.out.println(spike.stats().summary());
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LoadGenerator implements AutoCloseable {

    /** The last part of a due time is spun, not parked: parking overshoots by tens of microseconds. */
    private static final long SPIN_NANOS = 100_000;
    private static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

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
        void onTick(long nanoTime, Phase phase, Histogram successLatency, long ok, long failed);
    }

    private final LoadTarget target;
    private final Recorder recorder;
    private final Settings settings;
    private final long lateAfterNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer lag;
    private final Counter lateTotal;
    private final AtomicLong openSent = new AtomicLong();
    private final org.HdrHistogram.Recorder tickLatency = new org.HdrHistogram.Recorder(1, HIGHEST_NANOS, 3);
    private final LongAdder tickOk = new LongAdder();
    private final LongAdder tickFailed = new LongAdder();
    private final List<TickListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Phase> phases = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sampler;
    private final TimeSeries throughputSeries;
    private final TimeSeries errorSeries;
    private final TimeSeries meanSeries;
    private final TimeSeries p99Series;
    private final TimeSeries inFlightSeries;
    private final TimeSeries phaseSeries;
    private volatile boolean stopped;
    private volatile Thread pacerThread;
    private volatile Phase current;
    private volatile ExecutorService handoff;
    private Histogram tickHistogram;
    private long lastTickNanos = System.nanoTime();

    public LoadGenerator(LoadTarget target, Recorder recorder, Settings settings) {
        this.target = Objects.requireNonNull(target, "target");
        if (target instanceof HttpTarget http) {
            http.recordInto(recorder);
        }
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.lateAfterNanos = settings.lateAfter().toNanos();
        this.lag = recorder.timer("generator.lag");
        this.lateTotal = recorder.counter("generator.late");
        this.throughputSeries = recorder.series("throughput.rps");
        this.errorSeries = recorder.series("errors.rps");
        this.meanSeries = recorder.series("latency.mean.ms");
        this.p99Series = recorder.series("latency.p99.ms");
        this.inFlightSeries = recorder.series("in_flight");
        this.phaseSeries = recorder.series("load.phase");
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dyno-load-sampler"));
        long tickMillis = settings.tick().toMillis();
        sampler.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Adds a listener called on every tick, such as a per-minute soak window. */
    public void addTickListener(TickListener listener) {
        listeners.add(listener);
    }

    /**
     * Runs an open-model phase on this thread: returns at the pacer's scheduled end (or when
     * {@link #stop()}ped), with requests possibly still in flight.
     */
    public Phase open(String name, ArrivalRatePacer pacer) {
        Phase phase = begin(name, pacer.meanRps(), 0);
        pacerThread = Thread.currentThread();
        long start = phase.startNanos;
        long count = pacer.count();
        for (long i = 0; i < count && !stopped; i++) {
            long intended = start + pacer.offsetNanos(i);
            long now = awaitUntil(intended);
            if (stopped) {
                break;
            }
            long lateBy = now - intended;
            lag.recordNanos(Math.max(1, lateBy));
            openSent.incrementAndGet();
            if (lateBy > lateAfterNanos) {
                phase.late.increment();
                lateTotal.increment();
            }
            phase.requests.increment();
            if (inFlight.get() >= settings.maxInFlight()) {
                phase.fail(Outcome.DROPPED);
                continue;
            }
            dispatch(phase, intended, now, phase);
        }
        awaitUntil(start + pacer.duration().toNanos());
        phase.endNanos = System.nanoTime();
        return phase;
    }

    /**
     * Runs a closed-model phase: {@code users} users each send a request, wait for its answer and
     * send the next, until {@code requests} requests are done or {@code maxDuration} has passed.
     * Returns when every user has stopped (or, at the latest, after the drain timeout).
     */
    public Phase closed(String name, int users, long requests, Duration maxDuration) {
        if (users < 1 || requests < 1) {
            throw new IllegalArgumentException("users " + users + " and requests " + requests + " must be at least 1");
        }
        Phase phase = begin(name, Double.NaN, users);
        ClosedLoop loop = new ClosedLoop(phase, users, requests, phase.startNanos + maxDuration.toNanos());
        for (int u = 0; u < users; u++) {
            loop.next();
        }
        try {
            long bound = maxDuration.plus(settings.drainTimeout()).toNanos();
            if (!loop.done.await(bound, TimeUnit.NANOSECONDS)) {
                phase.abandon();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            phase.abandon();
        }
        phase.endNanos = System.nanoTime();
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
        phases.forEach(Phase::abandon);
        return all;
    }

    /** Stops the running phase as soon as possible; later phases return at once. Thread-safe. */
    public void stop() {
        stopped = true;
        Thread pacer = pacerThread;
        if (pacer != null) {
            LockSupport.unpark(pacer);
        }
    }

    public boolean stopped() {
        return stopped;
    }

    /** Requests waiting for an answer now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The phases so far, in order. */
    public List<Phase> phases() {
        return List.copyOf(phases);
    }

    /** The phase running now, or null. */
    public Phase current() {
        return current;
    }

    /** How well the generator kept its schedule so far. */
    public GeneratorHealth health() {
        return new GeneratorHealth(lag.snapshot(), openSent.get(), lateTotal.count(), settings.lateAfter());
    }

    public Settings settings() {
        return settings;
    }

    /** Stops sampling (with a last tick) and any phase still running. Does not close the target. */
    @Override
    public void close() {
        stop();
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ExecutorService h = handoff;
        if (h != null) {
            h.shutdownNow();
        }
    }

    private Phase begin(String name, double targetRps, int users) {
        Phase phase = new Phase(this, name, phases.size(), targetRps, users, recorder);
        phases.add(phase);
        current = phase;
        return phase;
    }

    private void dispatch(Phase phase, long intended, long sent, LoadTarget.Completion completion) {
        phase.inFlight.incrementAndGet();
        inFlight.incrementAndGet();
        try {
            target.send(intended, sent, completion);
        } catch (RuntimeException e) {
            completion.complete(intended, sent, Outcome.ERROR);
        }
    }

    private long awaitUntil(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline && !stopped) {
            long remaining = deadline - now;
            if (remaining > SPIN_NANOS) {
                LockSupport.parkNanos(remaining - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
        return now;
    }

    void recordTick(long latencyNanos, boolean ok) {
        if (ok) {
            tickLatency.recordValue(Math.min(Math.max(1, latencyNanos), HIGHEST_NANOS));
            tickOk.increment();
        } else {
            tickFailed.increment();
        }
    }

    void completed() {
        inFlight.decrementAndGet();
    }

    void abandoned(long count) {
        inFlight.addAndGet((int) -count);
    }

    private synchronized void tick() {
        try {
            long now = System.nanoTime();
            double seconds = Math.max(1e-3, (now - lastTickNanos) / 1e9);
            lastTickNanos = now;
            tickHistogram = tickLatency.getIntervalHistogram(tickHistogram);
            long ok = tickOk.sumThenReset();
            long failed = tickFailed.sumThenReset();
            Phase phase = current;
            throughputSeries.recordAt(now, ok / seconds);
            errorSeries.recordAt(now, failed / seconds);
            if (tickHistogram.getTotalCount() > 0) {
                meanSeries.recordAt(now, tickHistogram.getMean() / 1e6);
                p99Series.recordAt(now, tickHistogram.getValueAtPercentile(99) / 1e6);
            }
            inFlightSeries.recordAt(now, inFlight.get());
            phaseSeries.recordAt(now, phase == null ? -1 : phase.index);
            for (TickListener listener : listeners) {
                listener.onTick(now, phase, tickHistogram, ok, failed);
            }
        } catch (RuntimeException e) {
            System.err.println("[dyno] load sampler: " + e);
        }
    }

    private ExecutorService handoff() {
        ExecutorService h = handoff;
        if (h == null) {
            synchronized (this) {
                if (handoff == null) {
                    handoff = Executors.newSingleThreadExecutor(r -> daemon(r, "dyno-load-closed-loop"));
                }
                h = handoff;
            }
        }
        return h;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Users of a closed-model phase; each answer sends that user's next request. */
    private final class ClosedLoop implements LoadTarget.Completion {
        private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
        private final Phase phase;
        private final long requests;
        private final long deadline;
        private final AtomicLong claimed = new AtomicLong();
        private final AtomicInteger active;
        private final CountDownLatch done = new CountDownLatch(1);

        ClosedLoop(Phase phase, int users, long requests, long deadline) {
            this.phase = phase;
            this.requests = requests;
            this.deadline = deadline;
            this.active = new AtomicInteger(users);
        }

        @Override
        public void complete(long intendedNanos, long sentNanos, Outcome outcome) {
            phase.complete(intendedNanos, sentNanos, outcome);
            next();
        }

        @Override
        public void complete(long intendedNanos, long sentNanos, Outcome outcome, int kind) {
            phase.complete(intendedNanos, sentNanos, outcome, kind);
            next();
        }

        void next() {
            if (stopped || phase.abandonedFlag || System.nanoTime() >= deadline || claimed.getAndIncrement() >= requests) {
                if (active.decrementAndGet() == 0) {
                    done.countDown();
                }
                return;
            }
            int[] depth = DEPTH.get();
            if (depth[0] > 8) {
                // A target that answers on the caller's thread would recurse without end.
                handoff().execute(this::sendOne);
                return;
            }
            depth[0]++;
            try {
                sendOne();
            } finally {
                depth[0]--;
            }
        }

        private void sendOne() {
            long now = System.nanoTime();
            phase.requests.increment();
            dispatch(phase, now, now, this);
        }
    }

    /**
     * One phase of a run: its live counters, and its {@link PhaseStats} once it has drained.
     */
    public static final class Phase implements LoadTarget.Completion {
        private final LoadGenerator generator;
        private final String name;
        private final int index;
        private final double targetRps;
        private final int users;
        private final long startNanos = System.nanoTime();
        private volatile long endNanos;
        private final Timer latency;
        private final Timer serviceTime;
        private final Counter requests;
        private final Counter ok;
        private final Counter failed;
        private final Counter late;
        private final Timer queueWait;
        private final Counter queued;
        private final Counter abandoned;
        private final LongAdder answered = new LongAdder();
        private final AtomicLong firstAnswer = new AtomicLong(NO_ANSWER);
        private final dev.dyno.metrics.Distribution failures;
        private final LongAdder[] byOutcome = new LongAdder[Outcome.values().length];
        private final AtomicLong inFlight = new AtomicLong();
        private final AtomicLong lastAnswer = new AtomicLong();
        private static final long NO_ANSWER = Long.MIN_VALUE;
        private final Recorder recorder;
        private volatile boolean abandonedFlag;
        private volatile long givenUpNanos;
        /** Per kind of request of the target's mix, when it has one: latency of successes, ok and failed. */
        private final Timer[] kindLatency;
        private final Counter[] kindOk;
        private final Counter[] kindFailed;

        Phase(LoadGenerator generator, String name, int index, double targetRps, int users, Recorder recorder) {
            this.generator = generator;
            this.name = name;
            this.index = index;
            this.targetRps = targetRps;
            this.users = users;
            this.recorder = recorder;
            this.latency = recorder.timer(name + ".latency");
            this.serviceTime = recorder.timer(name + ".service_time");
            this.requests = recorder.counter(name + ".requests");
            this.ok = recorder.counter(name + ".ok");
            this.failed = recorder.counter(name + ".failed");
            this.late = recorder.counter(name + ".late");
            this.queueWait = recorder.timer(name + ".queue_wait");
            this.queued = recorder.counter(name + ".queued");
            this.abandoned = recorder.counter(name + ".abandoned");
            this.failures = recorder.distribution(name + ".failures");
            for (int i = 0; i < byOutcome.length; i++) {
                byOutcome[i] = new LongAdder();
            }
            List<String> kinds = generator.target.kinds();
            this.kindLatency = new Timer[kinds.size()];
            this.kindOk = new Counter[kinds.size()];
            this.kindFailed = new Counter[kinds.size()];
            for (int i = 0; i < kinds.size(); i++) {
                kindLatency[i] = recorder.timer(name + "." + kinds.get(i) + ".latency");
                kindOk[i] = recorder.counter(name + "." + kinds.get(i) + ".ok");
                kindFailed[i] = recorder.counter(name + "." + kinds.get(i) + ".failed");
            }
        }

        @Override
        public void complete(long intendedNanos, long sentNanos, Outcome outcome) {
            complete(intendedNanos, sentNanos, outcome, -1);
        }

        @Override
        public void complete(long intendedNanos, long sentNanos, Outcome outcome, int kind) {
            // Claim the request before counting it: abandon() swaps the count out, so a request is
            // either claimed here or counted there as abandoned, never both.
            long claimed;
            do {
                claimed = inFlight.get();
                if (claimed <= 0) {
                    return; // answered after the run gave up on it: already counted as abandoned
                }
            } while (!inFlight.compareAndSet(claimed, claimed - 1));
            long now = System.nanoTime();
            // The target passes the time a connection or worker took the request: the wait before it is queueing.
            long wait = sentNanos - intendedNanos;
            queueWait.recordNanos(Math.max(1, wait));
            if (wait > generator.lateAfterNanos) {
                queued.increment();
            }
            answered.increment();
            firstAnswer.compareAndSet(NO_ANSWER, now);
            if (outcome == Outcome.OK) {
                latency.recordNanos(now - intendedNanos);
                serviceTime.recordNanos(now - sentNanos);
                ok.increment();
            } else {
                fail(outcome);
            }
            if (kind >= 0 && kind < kindLatency.length) {
                if (outcome == Outcome.OK) {
                    kindLatency[kind].recordNanos(now - intendedNanos);
                    kindOk[kind].increment();
                } else {
                    kindFailed[kind].increment();
                }
            }
            generator.recordTick(now - intendedNanos, outcome == Outcome.OK);
            long last;
            while ((last = lastAnswer.get()) < now && !lastAnswer.compareAndSet(last, now)) {
                Thread.onSpinWait();
            }
            generator.completed();
        }

        void fail(Outcome outcome) {
            failed.increment();
            byOutcome[outcome.ordinal()].increment();
            failures.increment(outcome.key());
        }

        void abandon() {
            long left = inFlight.getAndSet(Long.MIN_VALUE / 2);
            abandonedFlag = true;
            if (left > 0) {
                // The phase lasted until the run stopped waiting for it, not just until its last answer.
                givenUpNanos = System.nanoTime();
                failed.add(left);
                abandoned.add(left);
                byOutcome[Outcome.ABANDONED.ordinal()].add(left);
                failures.add(Outcome.ABANDONED.key(), left);
                generator.abandoned(left);
            }
        }

        public String name() {
            return name;
        }

        /** Requests of this phase waiting for an answer now. */
        public long inFlight() {
            return Math.max(0, inFlight.get());
        }

        /** Waits until this phase's requests have answered, at most {@code max}; abandons the rest. */
        public boolean drain(Duration max) {
            long deadline = System.nanoTime() + max.toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(2_000_000);
            }
            boolean all = inFlight.get() <= 0;
            abandon();
            return all;
        }

        /** The phase's numbers so far; final once it has drained. Also sets its gauges. */
        public PhaseStats stats() {
            Map<Outcome, Long> byKind = new java.util.EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                long n = byOutcome[o.ordinal()].sum();
                if (n > 0) {
                    byKind.put(o, n);
                }
            }
            long end = Math.max(Math.max(endNanos == 0 ? System.nanoTime() : endNanos, lastAnswer.get()),
                    givenUpNanos == 0 ? Long.MIN_VALUE : givenUpNanos);
            TargetPace pace = pace(end, byKind);
            PhaseStats stats = new PhaseStats(name, targetRps, users, requests.count(), ok.count(), failed.count(),
                    late.count(), byKind, latency.snapshot(), serviceTime.snapshot(), Duration.ofNanos(end - startNanos),
                    pace);
            if (stats.requests() > 0) {
                recorder.gauge(name + ".success_rate").set(stats.successRate());
            }
            recorder.gauge(name + ".throughput").set(stats.throughput());
            if (pace.openModel()) {
                recorder.gauge(name + ".offered_rps").set(pace.offeredRps());
                recorder.gauge(name + ".achieved_rps").set(pace.achievedRps());
            }
            return stats;
        }

        private TargetPace pace(long end, Map<Outcome, Long> byKind) {
            long n = answered.sum();
            long first = firstAnswer.get();
            long last = lastAnswer.get();
            // Over the answers' own span: a target that keeps up reads the offered rate whatever its latency.
            double achieved = n >= 2 && first != NO_ANSWER && last > first ? (n - 1) / ((last - first) / 1e9)
                    : n / Math.max(1e-9, (end - startNanos) / 1e9);
            return new TargetPace(users > 0 ? Double.NaN : targetRps, achieved, requests.count(), n, queued.count(),
                    queueWait.snapshot(), byKind.getOrDefault(Outcome.DROPPED, 0L),
                    byKind.getOrDefault(Outcome.ABANDONED, 0L), generator.settings.lateAfter());
        }

        long startNanos() {
            return startNanos;
        }

        double targetRps() {
            return targetRps;
        }

        long requestCount() {
            return requests.count();
        }

        int index() {
            return index;
        }
    }
}
