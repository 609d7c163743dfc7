package dev.dyno.examples.scheduler;

import static dev.dyno.assertions.PerfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.config.RunMode;
import dev.dyno.jfr.JfrRecording;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.workloads.scheduler.BatchScheduler;
import dev.dyno.workloads.scheduler.ContainerRequest;
import dev.dyno.workloads.scheduler.ContainerScheduler;
import dev.dyno.workloads.scheduler.PerContainerScheduler;
import dev.dyno.workloads.scheduler.Placement;
import dev.dyno.workloads.scheduler.Resources;
import dev.dyno.workloads.scheduler.WorkerStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;

/**
 * The scheduler performance guide as a JUnit class: 100 containers on 20 workers in under 2 s, one
 * lock and one capacity update per worker, a warm cache, an even spread and no double booking —
 * and the old per-container scheduler measured beside it in the same run.
 *
 * <p>The worker store stands in for the guide's Redis with a real 1 ms wait per round trip, so
 * "how many round trips" turns into time exactly as it does against a real store.
 */
@DisplayName("Scheduler performance (guide: scheduler-performance-test.md)")
class SchedulerPerformanceTest {

    static final Duration STORE_LATENCY = Duration.ofMillis(1);
    static final int WORKER_CPU_MILLIS = 4000;
    static final int WORKER_MEMORY_MB = 8192;
    static final int CONTAINER_CPU_MILLIS = 500;
    static final int CONTAINER_MEMORY_MB = 512;

    // tag::jfr-compare[]
    @PerfTest(thresholds = {
            "schedule.total max < 2s",
            "decide max < 50ms",
            "batch.update max < 200ms",
            "locks.acquired <= 25",
            "capacity.updates <= 25",
            "cache.invalidations <= 25",
            "containers.per.worker keys == 20",
            "containers.per.worker max < 10",
            // bytes all threads allocated per container in scheduleAll; measured 7.0 KB (new) and 7.6 KB (old),
            // run to run within 5 bytes on the 2-core machine: the limits leave twice that
            "allocation.per_container max < 16KB",
            "old.allocation.per_container max < 16KB",
            // contended ReentrantLocks and synchronized monitors: measured none; a few allowed for the
            // hand-over between the caller and the batch scheduler's thread
            "jfr.lock.blocked count <= 5",
            "jfr.monitor.blocked count <= 5"})
    // where the time went, old → new: the samples of each scheduler's "schedule 100 containers" phase;
    // every contended lock (the stores' ReentrantLocks park) and monitor (the cache's synchronized methods)
    @JfrRecording(compare = {"old: schedule*", "new: schedule*"}, events = {"jdk.ThreadPark", "jdk.JavaMonitorEnter"})
    @DisplayName("schedules 100 containers on 20 workers in under 2 s with one lock and one update per worker")
    // end::jfr-compare[]
    void schedules100ContainersOn20Workers(Recorder recorder) throws Exception {
        Run batch = schedule(recorder, "", 20, 100, store -> BatchScheduler.builder().store(store)
                .probe(probe(recorder, "", store)).build());
        Run old = schedule(recorder, "old.", 20, 100, store -> PerContainerScheduler.builder().store(store)
                .probe(probe(recorder, "old.", store)).build());

        // The guide's seven success criteria, for the batch scheduler.
        assertThat(recorder.timer("schedule.total")).max().isLessThan(Duration.ofSeconds(2));
        assertThat(batch.placements()).hasSize(100).allMatch(Placement::isPlaced);
        assertThat(recorder.counter("locks.acquired")).isCloseTo(20, 2);
        assertThat(recorder.counter("capacity.updates")).isCloseTo(20, 2);
        assertThat(recorder).ratio("cache.hit", "cache.miss").isGreaterThan(0.95);
        assertThat(recorder.distribution("containers.per.worker")).hasTotal(100).usesAllKeys();
        assertNoDoubleBooking(batch);

        // The old implementation is what the optimisation is measured against.
        assertThat(old.placements()).allMatch(Placement::isPlaced);
        assertThat(recorder.counter("old.locks.acquired")).isCloseTo(100, 5);
        assertNoDoubleBooking(old);
        recorder.table("old vs new (guide: Expected Metrics Comparison)", List.of("metric", "old", "new", "change"),
                comparison(recorder.snapshot()));
    }

    @PerfTest(thresholds = {"schedule.total max < 3s", "locks.acquired <= 45", "capacity.updates <= 45"})
    @DisplayName("schedules 200 containers on 40 workers in under 3 s (the guide's advanced case)")
    void schedules200ContainersOn40Workers(Recorder recorder) throws Exception {
        Run run = schedule(recorder, "", 40, 200, store -> BatchScheduler.builder().store(store)
                .probe(probe(recorder, "", store)).build());
        assertThat(run.placements()).hasSize(200).allMatch(Placement::isPlaced);
        assertThat(recorder.counter("locks.acquired")).isCloseTo(40, 4);
        assertThat(recorder.distribution("containers.per.worker")).hasTotal(200).usesAllKeys();
        assertNoDoubleBooking(run);
    }

    @PerfTest(thresholds = {"schedule.total p99 < 2s", "locks.per.run max <= 25"})
    @DisplayName("stays under 2 s with one lock per worker when run again and again (the guide's stress loop)")
    void staysFastWhenRepeated(Recorder recorder) throws Exception {
        int runs = RunMode.current().pick(5, 20);
        recorder.attribute("runs", Integer.toString(runs));
        for (int i = 0; i < runs; i++) {
            Recorder single = Recorder.create();
            Run run = schedule(single, "", 20, 100, store -> BatchScheduler.builder().store(store)
                    .probe(probe(single, "", store)).build());
            assertThat(run.placements()).allMatch(Placement::isPlaced);
            recorder.timer("schedule.total").record(single.snapshot().timer("schedule.total").orElseThrow().max());
            recorder.series("locks.per.run").record(single.counter("locks.acquired").count());
            System.out.printf(Locale.ROOT, "=== Run %d/%d ===  Total duration: %s  Lock acquisitions: %d%n", i + 1, runs,
                    DurationText.format(single.snapshot().timer("schedule.total").orElseThrow().max()),
                    single.counter("locks.acquired").count());
        }
    }

    /** What one scheduling run left behind, to check correctness against. */
    record Run(WorkerStore store, List<Placement> placements) {
    }

    private static Run schedule(Recorder recorder, String prefix, int workers, int containers,
            Function<WorkerStore, ContainerScheduler> schedulerFor) throws Exception {
        WorkerStore store = WorkerStore.uniform(workers, WORKER_CPU_MILLIS, WORKER_MEMORY_MB, STORE_LATENCY);
        List<ContainerRequest> requests = ContainerRequest.batch(containers, CONTAINER_CPU_MILLIS, CONTAINER_MEMORY_MB);
        recorder.attribute(prefix + "workers", Integer.toString(workers));
        recorder.attribute(prefix + "containers", Integer.toString(containers));
        try (ContainerScheduler scheduler = schedulerFor.apply(store)) {
            String label = prefix.isEmpty() ? "new: " : "old: ";
            try (var warm = recorder.phase(label + "warm cache")) {
                // As in the guide: worker state is already cached when the burst of requests arrives.
                scheduler.cache().refresh();
            }
            try (var phase = recorder.phase(label + "schedule " + containers + " containers")) {
                var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long[] ids = threads.getAllThreadIds();   // the batch scheduler's thread runs from build() to close()
                long[] before = threads.getThreadAllocatedBytes(ids);
                List<Placement> placements = recorder.time(prefix + "schedule.total", () -> scheduler.scheduleAll(requests));
                recorder.gauge(prefix + "allocation.per_container")
                        .set(allocated(before, threads.getThreadAllocatedBytes(ids)) / containers);
                return new Run(store, placements);
            }
        }
    }

    /**
     * Bytes the threads allocated between two readings of the JVM's exact per-thread counters (−1 for
     * a thread no longer alive). Around {@code scheduleAll}: the caller's thread, the batch
     * scheduler's own thread, and the little the JVM's Java service threads (JFR's) allocate meanwhile.
     */
    private static long allocated(long[] before, long[] after) {
        long bytes = 0;
        for (int i = 0; i < before.length; i++) {
            if (before[i] >= 0 && after[i] >= 0) {
                bytes += after[i] - before[i];
            }
        }
        return bytes;
    }

    private static RecorderProbe probe(Recorder recorder, String prefix, WorkerStore store) {
        RecorderProbe probe = new RecorderProbe(recorder, prefix);
        probe.expectWorkers(store.workerIds());
        return probe;
    }

    /** No worker's free capacity went below zero, and what is used is exactly what was placed. */
    private static void assertNoDoubleBooking(Run run) {
        Map<String, Resources> free = run.store().freeCapacities();
        assertThat(free.values()).allSatisfy(r -> {
            assertThat(r.cpuMillis()).isNotNegative();
            assertThat(r.memoryMb()).isNotNegative();
        });
        long placed = run.placements().stream().filter(Placement::isPlaced).count();
        long usedCpu = free.values().stream().mapToLong(r -> WORKER_CPU_MILLIS - r.cpuMillis()).sum();
        assertThat(usedCpu).isEqualTo(placed * CONTAINER_CPU_MILLIS);
    }

    private static List<List<String>> comparison(MetricsSnapshot m) {
        Duration oldTotal = m.timer("old.schedule.total").orElseThrow().max();
        Duration newTotal = m.timer("schedule.total").orElseThrow().max();
        return List.of(
                List.of("total time", DurationText.format(oldTotal), DurationText.format(newTotal),
                        String.format(Locale.ROOT, "%.1fx faster", (double) oldTotal.toNanos() / newTotal.toNanos())),
                countRow(m, "lock acquisitions", "locks.acquired"),
                countRow(m, "store round trips (Redis operations)", "store.round_trips"),
                List.of("cache hit rate", hitRate(m, "old."), hitRate(m, ""), ""),
                countRow(m, "cache invalidations", "cache.invalidations"),
                countRow(m, "capacity updates", "capacity.updates"),
                List.of("workers used", used(m, "old."), used(m, ""), ""));
    }

    private static List<String> countRow(MetricsSnapshot m, String label, String metric) {
        long old = m.counter("old." + metric);
        long now = m.counter(metric);
        String change = old == 0 ? "" : String.format(Locale.ROOT, "%.0f%% fewer", 100.0 * (old - now) / old);
        return List.of(label, Long.toString(old), Long.toString(now), change);
    }

    private static String hitRate(MetricsSnapshot m, String prefix) {
        long hits = m.counter(prefix + "cache.hit");
        long total = hits + m.counter(prefix + "cache.miss");
        return total == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * hits / total);
    }

    private static String used(MetricsSnapshot m, String prefix) {
        var d = m.distribution(prefix + "containers.per.worker").orElseThrow();
        return d.keysUsed() + " of " + d.counts().size();
    }
}
