package dev.dyno.load;

import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.TimeSeries;
import dev.dyno.runtime.ResourceSample;
import dev.dyno.runtime.RunningWorkload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Samples the service's CPU and memory and its replica count once a second, on a thread of its own. */
final class ResourceTracker implements AutoCloseable {

    private final RunningWorkload workload;
    private final ScalingObserver observer;
    private final Supplier<String> phase;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService thread;
    private final TimeSeries cpu;
    private final TimeSeries memory;
    private final TimeSeries replicaSeries;
    private final List<ScalingEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger maxReplicas = new AtomicInteger(-1);
    private volatile int lastReplicas = -1;
    private volatile long lastMemory = -1;
    /** The workload's samples by wall-clock time (epoch ms → memory bytes, CPU cores), for windows cut after the run. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, double[]> byWallClock =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    /** A week of one sample a second: the most a plan may run. */
    private static final int MAX_KEPT = 7 * 24 * 3600;
    // Guarded by this: CPU summed over the current window.
    private double cpuSum;
    private int cpuCount;

    ResourceTracker(RunningWorkload workload, ScalingObserver observer, Recorder recorder, Supplier<String> phase,
            Duration period) {
        this.workload = workload;
        this.observer = observer;
        this.phase = phase;
        this.cpu = workload == null ? null : recorder.series("target.cpu.cores");
        this.memory = workload == null ? null : recorder.series("target.memory.mb");
        this.replicaSeries = observer == null ? null : recorder.series("replicas");
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dyno-load-resources");
            t.setDaemon(true);
            return t;
        });
        if (workload != null || observer != null) {
            sample();
            thread.scheduleAtFixedRate(this::sample, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void sample() {
        long now = System.nanoTime();
        if (workload != null) {
            try {
                if (workload.isRunning()) {
                    ResourceSample s = workload.sample();
                    cpu.recordAt(now, s.cpuCores());
                    memory.recordAt(now, s.memoryBytes() / 1048576.0);
                    lastMemory = s.memoryBytes();
                    if (byWallClock.size() < MAX_KEPT) {
                        byWallClock.put(System.currentTimeMillis(), new double[] {s.memoryBytes(), s.cpuCores()});
                    }
                    synchronized (this) {
                        cpuSum += s.cpuCores();
                        cpuCount++;
                    }
                }
            } catch (RuntimeException e) {
                // A service killed mid-run has no resources to read; its failures are counted by the load.
            }
        }
        if (observer != null) {
            try {
                int n = observer.replicas();
                if (n >= 0) {
                    replicaSeries.recordAt(now, n);
                    maxReplicas.accumulateAndGet(n, Math::max);
                    if (n != lastReplicas) {
                        events.add(new ScalingEvent(Duration.ofNanos(now - startNanos), phase.get(), n));
                        lastReplicas = n;
                    }
                }
            } catch (RuntimeException e) {
                System.err.println("[dyno] scaling observer: " + e);
            }
        }
    }

    /** The most replicas seen since the last call (-1 when unknown), and starts counting afresh. */
    int takeMaxReplicas() {
        int max = maxReplicas.getAndSet(lastReplicas);
        return max;
    }

    int lastReplicas() {
        return lastReplicas;
    }

    long lastMemoryBytes() {
        return lastMemory;
    }

    /** The workload's memory at the last sample at or before {@code epochMillis}; -1 when none was taken. */
    long memoryBytesAt(long epochMillis) {
        Map.Entry<Long, double[]> sample = byWallClock.floorEntry(epochMillis);
        return sample == null ? -1 : (long) sample.getValue()[0];
    }

    /** The workload's mean CPU over the samples taken from {@code fromMillis} to {@code toMillis}; NaN when none. */
    double meanCpuBetween(long fromMillis, long toMillis) {
        return byWallClock.subMap(fromMillis, true, toMillis, true).values().stream().mapToDouble(v -> v[1]).average()
                .orElse(Double.NaN);
    }

    /** Mean CPU since the last call, NaN when none was sampled; starts a new window. */
    synchronized double takeMeanCpu() {
        double mean = cpuCount == 0 ? Double.NaN : cpuSum / cpuCount;
        cpuSum = 0;
        cpuCount = 0;
        return mean;
    }

    List<ScalingEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
