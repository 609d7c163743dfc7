package dev.dyno.longtail;

import java.io.IOException;
import java.nio.file.Files;
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
        try {
            for (String line : Files.readAllLines(procStat)) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long user = Long.parseLong(f[1]);
                    long nice = Long.parseLong(f[2]);
                    long system = Long.parseLong(f[3]);
                    long irq = Long.parseLong(f[6]);
                    long softirq = Long.parseLong(f[7]);
                    long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                    return Optional.of(new MachineLoad(user + nice + system + irq + softirq + steal, steal));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/stat, or one this parser does not know: the noise is unknown
        }
        return Optional.empty();
    }

    /** Busy CPU nanoseconds between {@code earlier} and this reading. */
    long busyNanosSince(MachineLoad earlier) {
        return (busyTicks - earlier.busyTicks) * (1_000_000_000L / ProcStat.TICKS_PER_SECOND);
    }
}
