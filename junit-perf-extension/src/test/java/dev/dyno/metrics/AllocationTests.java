package dev.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dyno.Recorder;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The record path must not allocate: a perf test that measures a hot loop must not create the
 * garbage it then measures. Counted with the JVM's per-thread allocation counter, which is exact
 * and does not depend on timing.
 */
@DisplayName("Recording")
class AllocationTests {

    private static final int OPERATIONS = 1_000_000;
    /** Slack for the counter's own bookkeeping; one object per 1000 operations would already be 16 KB. */
    private static final long SLACK_BYTES = 1024;

    private static com.sun.management.ThreadMXBean threads;
    private final Recorder recorder = Recorder.create();

    @BeforeAll
    static void allocationCounter() {
        assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    private static long allocatedBy(Runnable operations) {
        operations.run(); // warm up: first calls may load classes and size structures
        long before = threads.getCurrentThreadAllocatedBytes();
        operations.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    @DisplayName("a held timer allocates nothing")
    void heldTimer() {
        Timer timer = recorder.timer("latency");
        assertThat(allocatedBy(() -> {
            for (int i = 1; i <= OPERATIONS; i++) {
                timer.recordNanos(i * 37L);
            }
        })).isLessThan(SLACK_BYTES);
    }

    @Test
    @DisplayName("a timer looked up by name allocates nothing")
    void timerByName() {
        recorder.timer("latency");
        assertThat(allocatedBy(() -> {
            for (int i = 1; i <= OPERATIONS; i++) {
                recorder.timer("latency").recordNanos(i);
            }
        })).isLessThan(SLACK_BYTES);
    }

    @Test
    @DisplayName("counters, gauges, series and known distribution keys allocate nothing")
    void otherMetrics() {
        Counter counter = recorder.counter("ops");
        Gauge gauge = recorder.gauge("depth");
        TimeSeries series = recorder.series("cpu");
        Distribution distribution = recorder.distribution("per.worker");
        distribution.increment("worker-1");
        assertThat(allocatedBy(() -> {
            for (int i = 1; i <= OPERATIONS; i++) {
                counter.increment();
                gauge.set(i);
                series.record(i);
                distribution.increment("worker-1");
            }
        })).isLessThan(SLACK_BYTES);
    }
}
