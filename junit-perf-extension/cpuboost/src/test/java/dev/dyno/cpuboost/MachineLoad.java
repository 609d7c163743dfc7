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
            dev.dyno.host.CpuTimes before = dev.dyno.host.CpuTimes.parse(Files.readString(Path.of("/proc/stat")));
            Thread.sleep(over.toMillis());
            dev.dyno.host.CpuTimes after = dev.dyno.host.CpuTimes.parse(Files.readString(Path.of("/proc/stat")));
            return after.busyShareSince(before) * Runtime.getRuntime().availableProcessors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }
}
