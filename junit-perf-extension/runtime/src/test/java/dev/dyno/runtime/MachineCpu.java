package dev.dyno.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The whole machine's busy CPU from /proc/stat, to tell a broken limit from a busy machine. */
final class MachineCpu {

    private final long busyTicks;
    private final long startNanos;

    private MachineCpu(long busyTicks, long startNanos) {
        this.busyTicks = busyTicks;
        this.startNanos = startNanos;
    }

    static MachineCpu now() {
        return new MachineCpu(busyTicks(), System.nanoTime());
    }

    /** Cores the whole machine kept busy since {@link #now()}. */
    double busyCoresSince() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return (busyTicks() - busyTicks) / 100.0 / seconds;
    }

    private static long busyTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                if (i != 4 && i != 5) { // idle and iowait
                    busy += Long.parseLong(cpu[i]);
                }
            }
            return busy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
