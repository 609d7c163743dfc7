package dev.dyno.gpu;

import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.ResourceSample;
import dev.dyno.runtime.RunningWorkload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Samples each device's load while the workers run, into the recorder and into per-device
 * timelines for the report: GPU utilisation and memory from nvidia-smi in CUDA mode; in CPU mode
 * the CPU cores and memory of the workers on each device key, from the runtime's samples.
 */
final class UtilisationSampler implements AutoCloseable {

    /** One reading: seconds since the workers started, and the value. */
    record Point(double seconds, double value) {
    }

    private final GpuRun.Mode mode;
    private final NvidiaSmi smi;
    private final Recorder recorder;
    private final Map<RunningWorkload, String> workerKeys;
    private final List<String> keys;
    private final Duration interval;
    private final long originNanos;
    private final Map<String, List<Point>> utilisation = new TreeMap<>();
    private final Map<String, List<Point>> memory = new TreeMap<>();
    private final Thread thread;
    private volatile boolean stopped;

    UtilisationSampler(GpuRun.Mode mode, NvidiaSmi smi, Recorder recorder, Map<RunningWorkload, String> workerKeys,
            Duration interval, long originNanos) {
        this.mode = mode;
        this.smi = smi;
        this.recorder = recorder;
        this.workerKeys = new LinkedHashMap<>(workerKeys);
        this.keys = workerKeys.values().stream().distinct().sorted().toList();
        this.interval = interval;
        this.originNanos = originNanos;
        keys.forEach(k -> {
            utilisation.put(k, new ArrayList<>());
            memory.put(k, new ArrayList<>());
        });
        if (mode == GpuRun.Mode.CPU_FALLBACK) {
            // The first sample of a workload opens its CPU window.
            this.workerKeys.keySet().forEach(UtilisationSampler::sampleQuietly);
        }
        this.thread = new Thread(this::loop, "dyno-gpu-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    synchronized Map<String, List<Point>> utilisation() {
        Map<String, List<Point>> copy = new TreeMap<>();
        utilisation.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    synchronized OptionalDouble meanUtilisation(String key) {
        return utilisation.getOrDefault(key, List.of()).stream().mapToDouble(Point::value).average();
    }

    synchronized OptionalDouble peakMemoryMb(String key) {
        return memory.getOrDefault(key, List.of()).stream().mapToDouble(Point::value).max();
    }

    private void loop() {
        long next = System.nanoTime() + interval.toNanos();
        while (!stopped) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (stopped) {
                return;
            }
            next += interval.toNanos();
            sampleOnce();
        }
    }

    private void sampleOnce() {
        long now = System.nanoTime();
        double seconds = (now - originNanos) / 1e9;
        if (mode == GpuRun.Mode.CUDA) {
            smi.query().ifPresent(devices -> devices.stream().filter(d -> keys.contains(d.key())).forEach(d -> {
                d.utilizationPercent().ifPresent(u -> add(utilisation, "gpu." + d.key() + ".utilization_pct", d.key(), seconds, u));
                d.memoryUsedMb().ifPresent(m -> add(memory, "gpu." + d.key() + ".memory_used_mb", d.key(), seconds, m));
            }));
            return;
        }
        Map<String, double[]> perKey = new TreeMap<>();
        workerKeys.forEach((workload, key) -> {
            if (!workload.isRunning()) {
                return;
            }
            ResourceSample sample = sampleQuietly(workload);
            if (sample != null) {
                double[] sums = perKey.computeIfAbsent(key, k -> new double[2]);
                sums[0] += sample.cpuCores();
                sums[1] += sample.memoryBytes() / (1024.0 * 1024.0);
            }
        });
        perKey.forEach((key, sums) -> {
            add(utilisation, "cpu." + key + ".cores", key, seconds, sums[0]);
            add(memory, "cpu." + key + ".memory_mb", key, seconds, sums[1]);
        });
    }

    private synchronized void add(Map<String, List<Point>> timelines, String series, String key, double seconds, double value) {
        timelines.computeIfAbsent(key, k -> new ArrayList<>()).add(new Point(seconds, value));
        recorder.series(series).record(value);
    }

    private static ResourceSample sampleQuietly(RunningWorkload workload) {
        try {
            return workload.sample();
        } catch (RuntimeException e) {
            return null; // it exited between the check and the read
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
