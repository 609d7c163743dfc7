package dev.dyno.stats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The trial of {@link Trial#timing(Trial.Action)}: times the action on the wall clock and also
 * reads the calling thread's CPU time around it, so a {@link Comparison} can tell a trial that
 * was kept off the CPU by competing work (its wall time grew, its CPU time did not) and redo it.
 */
final class TimedTrial implements Trial {

    /** What one run took: wall-clock and CPU nanoseconds of the calling thread; CPU −1 when unknown. */
    record Timing(Measurement measurement, long wallNanos, long cpuNanos) {

        /** The share of the wall time the thread was not running; NaN when unknown. */
        double offCpu() {
            return cpuNanos < 0 || wallNanos <= 0 ? Double.NaN : Math.max(0, 1 - (double) cpuNanos / wallNanos);
        }
    }

    private static final LongSupplier THREAD_CPU = threadCpuClock();

    private final Action action;
    private final LongSupplier wall;
    private final LongSupplier cpu;

    private TimedTrial(Action action, LongSupplier wall, LongSupplier cpu) {
        this.action = action;
        this.wall = wall;
        this.cpu = cpu;
    }

    static TimedTrial of(Action action) {
        return new TimedTrial(action, System::nanoTime, THREAD_CPU);
    }

    /** For tests: simulated clocks, so disturbances can be planted without real time. */
    static TimedTrial of(Action action, LongSupplier wall, LongSupplier cpu) {
        return new TimedTrial(action, wall, cpu);
    }

    @Override
    public Measurement run() throws Exception {
        return timed().measurement();
    }

    Timing timed() throws Exception {
        long cpuStart = cpu == null ? -1 : cpu.getAsLong();
        long start = wall.getAsLong();
        action.run();
        long nanos = wall.getAsLong() - start;
        long cpuNanos = cpu == null || cpuStart < 0 ? -1 : cpu.getAsLong() - cpuStart;
        return new Timing(Measurement.of(Duration.ofNanos(nanos)), nanos, cpuNanos);
    }

    private static LongSupplier threadCpuClock() {
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (!threads.isCurrentThreadCpuTimeSupported()) {
                return null;
            }
            if (!threads.isThreadCpuTimeEnabled()) {
                threads.setThreadCpuTimeEnabled(true);
            }
            return threads::getCurrentThreadCpuTime;
        } catch (UnsupportedOperationException | SecurityException e) {
            return null;   // no per-thread CPU time here: disturbances go unseen, the paired analysis remains
        }
    }
}
