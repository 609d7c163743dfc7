package dev.dyno.load;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Counter;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Timer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The open model's pacer: sends each request at the time an {@link ArrivalRatePacer} intends,
 * whether or not earlier ones have answered. It runs on the calling thread, parking until shortly
 * before each due time and spinning the rest, so it usually wakes within microseconds; with
 * {@value DynoConfiguration#LOAD_PACER_PROPERTY}{@code = spin} it never parks, because a parked
 * thread is sometimes woken milliseconds late (on a VM, a halted virtual CPU waits for the
 * hypervisor; {@code benchmarks/README.md} measures it) and only a running one is never. It records how
 * late each send was ({@code generator.lag}, {@code generator.late}). Its per-request path
 * allocates nothing ({@code PacerAllocationTests}).
 */
final class OpenLoop {

    /** The last part of a due time is spun, not parked: parking overshoots by tens of microseconds. */
    private static final long SPIN_NANOS = 100_000;

    private final LoadGenerator generator;
    private final long lateAfterNanos;
    private final int maxInFlight;
    private final Timer lag;
    private final Counter lateTotal;
    private final AtomicLong sent = new AtomicLong();
    /** Spin until each due time, never park: {@value DynoConfiguration#LOAD_PACER_PROPERTY}{@code = spin}. */
    private final boolean spinOnly;
    private volatile Thread pacerThread;

    OpenLoop(LoadGenerator generator, Recorder recorder) {
        this.generator = generator;
        this.lateAfterNanos = generator.settings().lateAfter().toNanos();
        this.maxInFlight = generator.settings().maxInFlight();
        this.lag = recorder.timer("generator.lag");
        this.lateTotal = recorder.counter("generator.late");
        this.spinOnly = "spin".equals(DynoConfiguration.current().loadPacer());
    }

    /**
     * Sends {@code phase}'s requests on this thread and returns at the pacer's scheduled end (or
     * when the generator stops), with requests possibly still in flight. A request finding
     * {@link LoadGenerator.Settings#maxInFlight()} already waiting is {@link Outcome#DROPPED}.
     */
    void run(PhaseRun phase, ArrivalRatePacer pacer) {
        pacerThread = Thread.currentThread();
        long start = phase.startNanos();
        long count = pacer.count();
        for (long i = 0; i < count && !generator.stopped(); i++) {
            long intended = start + pacer.offsetNanos(i);
            long now = awaitUntil(intended);
            if (generator.stopped()) {
                break;
            }
            long lateBy = now - intended;
            lag.recordNanos(Math.max(1, lateBy));
            sent.incrementAndGet();
            if (lateBy > lateAfterNanos) {
                phase.countLate();
                lateTotal.increment();
            }
            phase.countRequest();
            if (generator.inFlight() >= maxInFlight) {
                phase.fail(Outcome.DROPPED);
                continue;
            }
            generator.dispatch(phase, intended, now, phase);
        }
        awaitUntil(start + pacer.duration().toNanos());
    }

    /** Wakes the pacer from its park, so that it sees the generator has stopped. */
    void wake() {
        Thread pacer = pacerThread;
        if (pacer != null) {
            LockSupport.unpark(pacer);
        }
    }

    /** How well the pacer kept its schedule so far. */
    GeneratorHealth health() {
        return new GeneratorHealth(lag.snapshot(), sent.get(), lateTotal.count(), generator.settings().lateAfter());
    }

    private long awaitUntil(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline && !generator.stopped()) {
            long remaining = deadline - now;
            if (remaining > SPIN_NANOS && !spinOnly) {
                LockSupport.parkNanos(remaining - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
        return now;
    }
}
