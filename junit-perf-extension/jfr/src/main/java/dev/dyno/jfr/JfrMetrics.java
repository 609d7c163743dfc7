package dev.dyno.jfr;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.TimeSeries;
import dev.dyno.metrics.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import org.apiguardian.api.API;

/**
 * The names of the metrics a {@link JfrRecording @JfrRecording} test records, from the events of
 * its recording, for thresholds ({@code "jfr.gc.pause max < 50ms"}) and assertions.
 *
 * <p>A timer that saw no event holds no values, and "no values is not a pass": a threshold such as
 * {@code "jfr.gc.pause max < 50ms"} fails in a test without a garbage collection. Where none is
 * fine, assert in the method, or use the count: {@code "jfr.gc.pause count <= 3"}.
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class JfrMetrics {

    /** Counter: bytes allocated during the method by all threads alive when it ended ({@code jdk.ThreadAllocationStatistics}). */
    public static final String ALLOCATION_BYTES = "jfr.allocation.bytes";
    /** Counter: bytes the test's own thread allocated during the method. */
    public static final String ALLOCATION_BYTES_TEST_THREAD = "jfr.allocation.bytes.test_thread";
    /** Counter: garbage collections ({@code jdk.GarbageCollection}). */
    public static final String GC_COUNT = "jfr.gc.count";
    /** Timer: each stop-the-world GC pause ({@code jdk.GCPhasePause}). */
    public static final String GC_PAUSE = "jfr.gc.pause";
    /** Timer: each safepoint, from begin to end ({@code jdk.SafepointBegin}). */
    public static final String SAFEPOINT = "jfr.safepoint";
    /**
     * Timer: each time a thread blocked to enter a contended {@code synchronized} monitor
     * ({@code jdk.JavaMonitorEnter}; {@code profile} records those of 10 ms and longer, every one
     * with {@code @JfrRecording(events = "jdk.JavaMonitorEnter")}). Its count is the number of
     * contended entries; the table {@value #MONITOR_TABLE} lists the classes.
     */
    public static final String MONITOR_BLOCKED = "jfr.monitor.blocked";
    /**
     * Timer: each time a thread parked waiting to take a {@code java.util.concurrent} lock held by
     * another ({@code jdk.ThreadPark} on a {@code ReentrantLock}, {@code ReentrantReadWriteLock} or
     * {@code StampedLock}; not a {@code Condition}'s wait, a sleep or a timed park). {@code profile}
     * records parks from 20 ms on, every one with {@code @JfrRecording(events = "jdk.ThreadPark")};
     * its count is the number of contended acquisitions.
     *
     * @since 0.2
     */
    public static final String LOCK_BLOCKED = "jfr.lock.blocked";
    /** Timer: each JIT compilation ({@code jdk.Compilation}, all of them). */
    public static final String JIT_COMPILATION = "jfr.jit.compilation";
    /** Counter: classes loaded during the method ({@code jdk.ClassLoadingStatistics}). */
    public static final String CLASSES_LOADED = "jfr.classes.loaded";
    /** Series: the JVM's CPU load, user and system, as a fraction of the machine, every 100 ms ({@code jdk.CPULoad}). */
    public static final String CPU_JVM = "jfr.cpu.jvm";
    /** Series: the machine's CPU load as a fraction, every 100 ms ({@code jdk.CPULoad}). */
    public static final String CPU_MACHINE = "jfr.cpu.machine";
    /**
     * Start of the title of the table of the frames whose share of the CPU samples changed most
     * between the two sides of {@link JfrRecording#compare()}, followed by the sides' names.
     *
     * @since 0.2
     */
    public static final String WHERE_THE_TIME_WENT = "JFR: where the time went";
    /** The same as {@link #WHERE_THE_TIME_WENT}, of allocated bytes, with {@link JfrRecording#allocationProfile()}. */
    public static final String WHERE_THE_BYTES_WENT = "JFR: where the bytes went";
    /** Title of the table of the classes whose monitors threads blocked on longest. */
    public static final String MONITOR_TABLE = "JFR: contended monitors by class";

    private static final int TABLE_ROWS = 10;

    private JfrMetrics() {
    }

    /**
     * Records the figures of a recording's events into {@code recorder}.
     *
     * @param allocatedAtStart each thread's allocated bytes when the method started, by thread id
     */
    static void record(List<RecordedEvent> events, Instant start, Instant end, long testThreadId,
            Map<Long, Long> allocatedAtStart, Recorder recorder) {
        Map<Long, Long> allocatedAtEnd = new HashMap<>();
        Map<Long, Instant> allocatedAtEndTime = new HashMap<>();
        long firstClasses = -1;
        long lastClasses = -1;
        Instant firstClassesTime = Instant.MAX;
        Instant lastClassesTime = Instant.MIN;
        Map<String, List<Duration>> monitors = new HashMap<>();
        Timer gcPause = recorder.timer(GC_PAUSE);
        Timer safepoint = recorder.timer(SAFEPOINT);
        Timer monitor = recorder.timer(MONITOR_BLOCKED);
        Timer compilation = recorder.timer(JIT_COMPILATION);
        Timer lock = recorder.timer(LOCK_BLOCKED);
        TimeSeries cpuJvm = recorder.series(CPU_JVM);
        TimeSeries cpuMachine = recorder.series(CPU_MACHINE);
        long gcCount = 0;
        long nanoNow = System.nanoTime();
        Instant now = Instant.now();
        List<RecordedEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(RecordedEvent::getEndTime));
        for (RecordedEvent event : sorted) {
            // a recording's chunks may hold events from before the method when other recordings run;
            // the statistics are cumulative, their first and last values count
            String type = event.getEventType().getName();
            if ((event.getEndTime().isBefore(start) || event.getStartTime().isAfter(end)) && !type.endsWith("Statistics")) {
                continue;
            }
            switch (type) {
                case "jdk.ThreadAllocationStatistics" -> {
                    RecordedThread thread = event.getThread("thread");
                    if (thread != null) {
                        allocatedAtEnd.put(thread.getJavaThreadId(), event.getLong("allocated"));
                        allocatedAtEndTime.put(thread.getJavaThreadId(), event.getEndTime());
                    }
                }
                case "jdk.GarbageCollection" -> gcCount++;
                case "jdk.GCPhasePause" -> gcPause.record(event.getDuration());
                case "jdk.SafepointBegin" -> safepoint.record(event.getDuration());
                case "jdk.Compilation" -> compilation.record(event.getDuration());
                case "jdk.JavaMonitorEnter" -> {
                    monitor.record(event.getDuration());
                    RecordedClass monitorClass = event.getClass("monitorClass");
                    monitors.computeIfAbsent(monitorClass == null ? "?" : monitorClass.getName(), k -> new ArrayList<>())
                            .add(event.getDuration());
                }
                case "jdk.ThreadPark" -> {
                    if (isLock(event.getClass("parkedClass"))) {
                        lock.record(event.getDuration());
                    }
                }
                case "jdk.ClassLoadingStatistics" -> {
                    long loaded = event.getLong("loadedClassCount");
                    if (event.getEndTime().isBefore(firstClassesTime)) {
                        firstClassesTime = event.getEndTime();
                        firstClasses = loaded;
                    }
                    if (!event.getEndTime().isBefore(lastClassesTime)) {
                        lastClassesTime = event.getEndTime();
                        lastClasses = loaded;
                    }
                }
                case "jdk.CPULoad" -> {
                    long at = nanoNow - Duration.between(event.getEndTime(), now).toNanos();
                    cpuJvm.recordAt(at, event.getFloat("jvmUser") + event.getFloat("jvmSystem"));
                    cpuMachine.recordAt(at, event.getFloat("machineTotal"));
                }
                default -> {
                    // not a figure of ours
                }
            }
        }
        long total = 0;
        for (Map.Entry<Long, Long> thread : allocatedAtEnd.entrySet()) {
            // a thread the method started had allocated nothing when it began
            total += Math.max(0, thread.getValue() - allocatedAtStart.getOrDefault(thread.getKey(), 0L));
        }
        recorder.counter(ALLOCATION_BYTES).add(total);
        recorder.counter(ALLOCATION_BYTES_TEST_THREAD).add(Math.max(0,
                allocatedAtEnd.getOrDefault(testThreadId, 0L) - allocatedAtStart.getOrDefault(testThreadId, 0L)));
        recorder.counter(GC_COUNT).add(gcCount);
        recorder.counter(CLASSES_LOADED).add(firstClasses < 0 ? 0 : Math.max(0, lastClasses - firstClasses));
        if (!monitors.isEmpty()) {
            recorder.table(MONITOR_TABLE, List.of("class", "contended entries", "blocked in total", "longest"),
                    monitors.entrySet().stream()
                            .sorted(Comparator.comparing((Map.Entry<String, List<Duration>> e) -> total(e.getValue()))
                                    .reversed())
                            .limit(TABLE_ROWS)
                            .map(e -> List.of(e.getKey(), String.valueOf(e.getValue().size()),
                                    DurationText.format(total(e.getValue())),
                                    DurationText.format(e.getValue().stream().max(Comparator.naturalOrder()).orElseThrow())))
                            .toList());
        }
    }

    /** A lock's synchronizer, such as {@code ReentrantLock$NonfairSync}; not a condition, nor a park without a blocker. */
    private static boolean isLock(RecordedClass parked) {
        if (parked == null) {
            return false;
        }
        String name = parked.getName();
        return name.startsWith("java.util.concurrent.locks.ReentrantLock$")
                || name.startsWith("java.util.concurrent.locks.ReentrantReadWriteLock$")
                || name.equals("java.util.concurrent.locks.StampedLock");
    }

    private static Duration total(List<Duration> durations) {
        return durations.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
