package dev.dyno.cpuboost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** How busy the machine is now, to skip a CPU measurement that a parallel build would spoil. */
final class MachineLoad {

    private MachineLoad() {
    }

    static double busyCores(Duration over) {
        try {
            long[] before = HostMonitor.cpuJiffies(Files.readString(Path.of("/proc/stat")));
            Thread.sleep(over.toMillis());
            long[] after = HostMonitor.cpuJiffies(Files.readString(Path.of("/proc/stat")));
            return HostMonitor.busyShare(before, after) * Runtime.getRuntime().availableProcessors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }
}
