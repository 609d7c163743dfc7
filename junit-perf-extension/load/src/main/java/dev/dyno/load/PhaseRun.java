package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.Counter;
import dev.dyno.metrics.Distribution;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.apiguardian.api.API;

/**
 * One phase of a {@link LoadGenerator}'s run while it runs: its live counters, and its
 * {@link PhaseStats} once it has drained. Not the recorder's {@code dev.dyno.metrics.Phase}, which
 * times a stretch of a test's own code: this one counts the requests a load phase sent and what
 * became of each.
 *
 * <p>Each request is accounted for exactly once: answered ({@code ok} or {@code failed} by
 * {@link Outcome}), dropped before it was sent, or abandoned when the run stopped waiting for it.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PhaseRun implements LoadTarget.Completion {

    private static final long NO_ANSWER = Long.MIN_VALUE;

    private final String name;
    private final int index;
    private final double targetRps;
    private final int users;
    private final Duration lateAfter;
    private final long lateAfterNanos;
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
    private final Distribution failures;
    private final LongAdder[] byOutcome = new LongAdder[Outcome.values().length];
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong lastAnswer = new AtomicLong();
    private final Recorder recorder;
    private final GeneratorSampler sampler;
    /** The generator's count over all its phases, which its drain and its {@code in_flight} series read. */
    private final AtomicInteger generatorInFlight;
    private volatile boolean abandonedFlag;
    private volatile long givenUpNanos;
    /** Per kind of request of the target's mix, when it has one: latency of successes, ok and failed. */
    private final Timer[] kindLatency;
    private final Counter[] kindOk;
    private final Counter[] kindFailed;

    /**
     * @param kinds             the target's kinds of request ({@link LoadTarget#kinds()}), each counted apart
     * @param lateAfter         the wait from which a request counts as queued (and, in the pace, late)
     * @param sampler           receives each answer for the over-time series
     * @param generatorInFlight the generator's in-flight count, lowered with this phase's
     */
    PhaseRun(String name, int index, double targetRps, int users, List<String> kinds, Duration lateAfter,
            Recorder recorder, GeneratorSampler sampler, AtomicInteger generatorInFlight) {
        this.name = name;
        this.index = index;
        this.targetRps = targetRps;
        this.users = users;
        this.lateAfter = lateAfter;
        this.lateAfterNanos = lateAfter.toNanos();
        this.recorder = recorder;
        this.sampler = sampler;
        this.generatorInFlight = generatorInFlight;
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
        if (wait > lateAfterNanos) {
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
        sampler.record(now - intendedNanos, outcome == Outcome.OK);
        long last;
        while ((last = lastAnswer.get()) < now && !lastAnswer.compareAndSet(last, now)) {
            Thread.onSpinWait();
        }
        generatorInFlight.decrementAndGet();
    }

    /** A request of this phase is about to go to the target. */
    void sending() {
        inFlight.incrementAndGet();
    }

    /** Counts a request of this phase, sent or dropped. */
    void countRequest() {
        requests.increment();
    }

    /** Counts a request sent later than the generator's {@code lateAfter}. */
    void countLate() {
        late.increment();
    }

    /** Counts a request that failed without an answer to complete it, such as one dropped. */
    void fail(Outcome outcome) {
        failed.increment();
        byOutcome[outcome.ordinal()].increment();
        failures.increment(outcome.key());
    }

    /** Stops waiting for this phase: whatever is still in flight counts as {@link Outcome#ABANDONED}. */
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
            generatorInFlight.addAndGet((int) -left);
        }
    }

    /** Whether the run has stopped waiting for this phase. */
    boolean isAbandoned() {
        return abandonedFlag;
    }

    /** Its schedule or its users are done; answers may still come. */
    void ended() {
        endNanos = System.nanoTime();
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
        Map<Outcome, Long> byKind = new EnumMap<>(Outcome.class);
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
        recordGauges(recorder, stats);
        return stats;
    }

    /** Sets a phase's gauges from its numbers: success rate, throughput, and the pace of an open-model phase. */
    static void recordGauges(Recorder recorder, PhaseStats stats) {
        String name = stats.name();
        if (stats.requests() > 0) {
            recorder.gauge(name + ".success_rate").set(stats.successRate());
        }
        recorder.gauge(name + ".throughput").set(stats.throughput());
        if (stats.pace().openModel()) {
            recorder.gauge(name + ".offered_rps").set(stats.pace().offeredRps());
            recorder.gauge(name + ".achieved_rps").set(stats.pace().achievedRps());
        }
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
                byKind.getOrDefault(Outcome.ABANDONED, 0L), lateAfter);
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
