package dev.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dyno.metrics.Recorder;
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

    @Test
    @DisplayName("recorder.allocation counts at least the bytes of an array the block makes, so its zero below is real")
    void allocationOfABlockSeesAnArray() {
        Object[] sink = new Object[1];
        Runnable parse = () -> sink[0] = new byte[10_000];
        long bytes = recorder.allocation("parse", parse);

        assertThat(bytes).isGreaterThanOrEqualTo(10_000);
        assertThat(recorder.snapshot().gauge("allocation.parse").orElseThrow().max()).isEqualTo(bytes);
    }

    @Test
    @DisplayName("recorder.allocation counts exactly 0 bytes for a block that allocates nothing, and allocates nothing itself")
    void allocationOfAnAllocationFreeBlockIsZero() {
        long[] sum = new long[1];
        Runnable block = () -> {
            for (int i = 0; i < 1_000; i++) {
                sum[0] += i;
            }
        };
        recorder.allocation("sum", block);  // the first call loads classes and creates the gauge

        assertThat(recorder.allocation("sum", block)).isZero();
        assertThat(recorder.snapshot().gauge("allocation.sum").orElseThrow().max()).isZero();
        assertThat(allocatedBy(() -> {
            for (int i = 0; i < 10_000; i++) {
                recorder.allocation("sum", block);
            }
        })).isLessThan(SLACK_BYTES);
    }

    @Test
    @DisplayName("recorder.allocation with a Callable returns its result and records its bytes for thresholds")
    void allocationOfACallable() throws Exception {
        String joined = recorder.allocation("join", () -> String.join(",", "a", "b", "c"));

        assertThat(joined).isEqualTo("a,b,c");
        assertThat(dev.dyno.assertions.Threshold.parse("t", "allocation.join max < 1KB")
                .evaluate(recorder.snapshot()).state()).isEqualTo(dev.dyno.assertions.Threshold.State.PASSED);
        assertThat(dev.dyno.assertions.Threshold.parse("t", "allocation.join max < 1B")
                .evaluate(recorder.snapshot()).state()).isEqualTo(dev.dyno.assertions.Threshold.State.BREACHED);
    }
}
