package dev.dyno.longtail;

import dev.dyno.host.CpuTimes;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine's busy CPU time from the first line of {@code /proc/stat} (user, nice, system, irq,
 * softirq, steal), so that a run can tell how much CPU went to processes other than its tasks.
 */
record MachineLoad(long busyTicks, long stealTicks) {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** The machine's reading now, or empty when it cannot be read: unknown noise is not a quiet machine. */
    static Optional<MachineLoad> read() {
        return read(PROC_STAT);
    }

    static Optional<MachineLoad> read(Path procStat) {
        // no /proc/stat, or one the parser does not know: the noise is unknown, not zero
        return CpuTimes.read(procStat).map(times -> new MachineLoad(times.busy(), times.steal()));
    }

    /** Busy CPU nanoseconds between {@code earlier} and this reading. */
    long busyNanosSince(MachineLoad earlier) {
        return (busyTicks - earlier.busyTicks) * (1_000_000_000L / CpuTimes.TICKS_PER_SECOND);
    }
}
