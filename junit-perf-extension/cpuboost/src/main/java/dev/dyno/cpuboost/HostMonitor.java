package dev.dyno.cpuboost;

import dev.dyno.host.CpuTimes;
import dev.dyno.host.KernelCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Samples the whole machine's CPU, memory and swap from {@code /proc} on a daemon thread, as the
 * guide's memory-pressure script does with psutil, for the length of an experiment.
 */
final class HostMonitor implements AutoCloseable {

    private final Path proc;
    private final Duration interval;
    private final long origin = System.nanoTime();
    private final List<HostSample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private CpuTimes previousCpu;

    private HostMonitor(Path proc, Duration interval) {
        this.proc = proc;
        this.interval = interval;
        this.thread = new Thread(this::loop, "dyno-cpuboost-host-monitor");
        this.thread.setDaemon(true);
    }

    /** Starts sampling {@code /proc}; empty where there is none to read (not Linux). */
    static Optional<HostMonitor> start(Duration interval) {
        return start(Path.of("/proc"), interval);
    }

    static Optional<HostMonitor> start(Path proc, Duration interval) {
        if (!Files.isReadable(proc.resolve("stat")) || !Files.isReadable(proc.resolve("meminfo"))) {
            return Optional.empty();
        }
        HostMonitor monitor = new HostMonitor(proc, interval);
        monitor.sample(); // the first CPU reading opens the first window
        monitor.thread.start();
        return Optional.of(monitor);
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    private void sample() {
        try {
            CpuTimes cpu = CpuTimes.parse(Files.readString(proc.resolve("stat")));
            long now = System.nanoTime();
            Map<String, Long> memory = KernelCounters.parse(Files.readAllLines(proc.resolve("meminfo")));
            if (previousCpu != null) {
                double busyShare = cpu.busyShareSince(previousCpu);
                int cores = Runtime.getRuntime().availableProcessors();
                double memoryPercent = percentUsed(memory.getOrDefault("MemTotal", 0L),
                        memory.getOrDefault("MemAvailable", memory.getOrDefault("MemFree", 0L)));
                double swapPercent = percentUsed(memory.getOrDefault("SwapTotal", 0L), memory.getOrDefault("SwapFree", 0L));
                synchronized (samples) {
                    samples.add(new HostSample(Duration.ofNanos(now - origin), busyShare * cores, memoryPercent,
                            swapPercent));
                }
            }
            previousCpu = cpu;
        } catch (IOException | RuntimeException e) {
            // a reading missed is a gap in a chart, not a reason to fail the experiment
        }
    }

    /** The readings so far. */
    List<HostSample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Time since the monitor started, to place other events on its time axis. */
    Duration offsetOf(long nanoTime) {
        return Duration.ofNanos(nanoTime - origin);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static double percentUsed(long total, long available) {
        return total <= 0 ? 0 : 100.0 * (total - available) / total;
    }
}
