package dev.dyno.scheduling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's busy CPU time from the first line of {@code /proc/stat} (user, nice, system, irq,
 * softirq, steal), so that a run can tell how much CPU went to processes other than its tasks.
 */
record MachineLoad(long busyTicks, long stealTicks) {

    static MachineLoad read() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long user = Long.parseLong(f[1]);
                    long nice = Long.parseLong(f[2]);
                    long system = Long.parseLong(f[3]);
                    long irq = Long.parseLong(f[6]);
                    long softirq = Long.parseLong(f[7]);
                    long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                    return new MachineLoad(user + nice + system + irq + softirq + steal, steal);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/stat: the noise is unknown, reported as zero
        }
        return new MachineLoad(0, 0);
    }

    /** Busy CPU nanoseconds between {@code earlier} and this reading. */
    long busyNanosSince(MachineLoad earlier) {
        return (busyTicks - earlier.busyTicks) * (1_000_000_000L / ProcStat.TICKS_PER_SECOND);
    }
}
