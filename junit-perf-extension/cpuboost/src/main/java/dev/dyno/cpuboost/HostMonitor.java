package dev.dyno.cpuboost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
    private long[] previousCpu;

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
            long[] cpu = cpuJiffies(Files.readString(proc.resolve("stat")));
            long now = System.nanoTime();
            Map<String, Long> memory = meminfo(Files.readAllLines(proc.resolve("meminfo")));
            if (previousCpu != null) {
                double busyShare = busyShare(previousCpu, cpu);
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

    /** {user, nice, system, idle, iowait, irq, softirq, steal} of the aggregate "cpu" line. */
    static long[] cpuJiffies(String stat) {
        for (String line : stat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] parts = line.trim().split("\\s+");
                long[] values = new long[8];
                for (int i = 0; i < values.length && i + 1 < parts.length; i++) {
                    values[i] = Long.parseLong(parts[i + 1]);
                }
                return values;
            }
        }
        throw new IllegalArgumentException("no aggregate 'cpu' line in /proc/stat");
    }

    /** The share of all CPUs that was busy between two readings: everything but idle and iowait. */
    static double busyShare(long[] before, long[] after) {
        long total = 0;
        long idle = 0;
        for (int i = 0; i < after.length; i++) {
            long delta = after[i] - before[i];
            total += delta;
            if (i == 3 || i == 4) {
                idle += delta;
            }
        }
        return total <= 0 ? 0 : (total - idle) / (double) total;
    }

    static Map<String, Long> meminfo(List<String> lines) {
        Map<String, Long> values = new TreeMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String[] rest = line.substring(colon + 1).trim().split("\\s+");
                try {
                    values.put(line.substring(0, colon), Long.parseLong(rest[0]));
                } catch (NumberFormatException e) {
                    // not a number: not one we read
                }
            }
        }
        return values;
    }

    static double percentUsed(long total, long available) {
        return total <= 0 ? 0 : 100.0 * (total - available) / total;
    }
}
