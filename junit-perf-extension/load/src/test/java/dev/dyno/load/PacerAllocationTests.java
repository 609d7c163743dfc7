package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Recorder;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The open model's per-request path must not allocate: garbage made by the pacer becomes GC
 * pauses, and a pause is a stretch in which every request is sent late (counted, but avoidable).
 * Counted with the JVM's per-thread allocation counter, which is exact and does not depend on
 * timing, so these tests hold on a busy machine.
 */
@DisplayName("The open-model pacer")
@Timeout(60)
class PacerAllocationTests {

    private static final int REQUESTS = 100_000;
    /**
     * Room for the counter's own bookkeeping, nothing more: one object of 16 bytes per request would
     * be 1.6 MB over {@link #REQUESTS}, so anything allocated per request fails by three orders of
     * magnitude. No warm-up slack is needed beyond the warm-up run: the path allocates nothing even
     * interpreted, so it does not depend on escape analysis.
     */
    private static final long SLACK_BYTES = 1024;

    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void allocationCounter() {
        assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    @DisplayName("computes due times and rates without allocating")
    void dueTimes() {
        ArrivalRatePacer ramp = ArrivalRatePacer.ramp(10, 5000, Duration.ofSeconds(40));
        assertThat(ramp.count()).isGreaterThanOrEqualTo(REQUESTS);
        long[] checksum = new long[1];
        Runnable schedule = () -> {
            long sum = 0;
            for (long i = 0; i < REQUESTS; i++) {
                long due = ramp.offsetNanos(i);
                sum += due + (long) ramp.rateAt(due);
            }
            checksum[0] = sum; // keeps the JIT from dropping the loop, which would make the test vacuous
        };
        schedule.run(); // warm up
        long before = threads.getCurrentThreadAllocatedBytes();
        schedule.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(checksum[0]).isPositive();
        assertThat(allocated).as("bytes allocated by %d due times", REQUESTS).isLessThan(SLACK_BYTES);
    }

    @Test
    @DisplayName("sends open-model requests without allocating: due time, lag, counters, dispatch and recording")
    void openModelLoop() {
        AllocationWindow window = new AllocationWindow(5_000, 5_000 + REQUESTS);
        Recorder recorder = Recorder.create();
        try (LoadGenerator generator = new LoadGenerator(window, recorder, LoadGenerator.Settings.DEFAULT)) {
            // A million a second: the pacer never parks, so the window holds nothing but the per-request path.
            ArrivalRatePacer pacer = ArrivalRatePacer.constant(1_000_000, Duration.ofMillis(110));
            generator.open("warm-up", pacer); // first calls load classes and size structures
            window.reset();
            PhaseStats measured = generator.open("measured", pacer).stats();
            assertThat(measured.ok()).as("requests answered").isEqualTo(pacer.count());
            assertThat(window.measured()).as("the window closed").isTrue();
            assertThat(window.bytes()).as("bytes allocated on the pacer thread by %d requests", REQUESTS)
                    .isLessThan(SLACK_BYTES);
        }
    }

    /** The pacer thread's CPU time while it sends 300 requests at 300 a second, with {@code dyno.load.pacer = pacer}. */
    private static long pacerCpuNanos(String pacer) {
        DynoConfiguration previous = DynoConfiguration.enter(DynoConfiguration.of(Map.of(DynoConfiguration.LOAD_PACER_PROPERTY, pacer)));
        try (LoadGenerator generator = new LoadGenerator(LoadTarget.call("nothing", 1, () -> null), Recorder.create(),
                LoadGenerator.Settings.DEFAULT)) {
            long before = threads.getCurrentThreadCpuTime();
            PhaseStats stats = generator.open(pacer, ArrivalRatePacer.constant(300, Duration.ofSeconds(1))).stats();
            long cpu = threads.getCurrentThreadCpuTime() - before;
            assertThat(stats.ok()).as("requests answered with dyno.load.pacer = %s", pacer).isEqualTo(300);
            return cpu;
        } finally {
            DynoConfiguration.exit(previous);
        }
    }

    @Test
    @DisplayName("with dyno.load.pacer = spin never parks: its thread is on a CPU most of the run, parking only briefly")
    void spinOnly() {
        long parked = pacerCpuNanos("park");
        long spun = pacerCpuNanos("spin");
        // Parking spins 100 µs of each 3.3 ms, about 3 %; spinning all of it. On a busy machine a spinning thread
        // still gets far more than the parking one, so the factor holds there too.
        assertThat(spun).as("CPU of the spinning pacer, against %d ms parking", parked / 1_000_000)
                .isGreaterThan(3 * parked).isGreaterThan(Duration.ofMillis(200).toNanos());
    }

    @Test
    @DisplayName("sees an allocation per request when there is one, so the zero above is real")
    void detectsAllocation() {
        AllocationWindow window = new AllocationWindow(5_000, 5_000 + REQUESTS) {
            @Override
            public void send(long intendedNanos, long sentNanos, Completion completion) {
                retained = new long[2]; // 32 bytes per request, kept reachable so escape analysis cannot remove it
                super.send(intendedNanos, sentNanos, completion);
            }
        };
        try (LoadGenerator generator = new LoadGenerator(window, Recorder.create(), LoadGenerator.Settings.DEFAULT)) {
            generator.open("allocating", ArrivalRatePacer.constant(1_000_000, Duration.ofMillis(110)));
            assertThat(window.measured()).isTrue();
            assertThat(window.bytes()).isGreaterThanOrEqualTo(REQUESTS * 16L);
        }
    }

    /**
     * A target that answers at once on the caller's thread and reads that thread's allocation
     * counter at two requests: whatever was allocated between them is per-request cost.
     */
    private static class AllocationWindow implements LoadTarget {
        private final long from;
        private final long to;
        private long sends;
        private long start;
        private long end;
        volatile Object retained;

        AllocationWindow(long from, long to) {
            this.from = from;
            this.to = to;
        }

        void reset() {
            sends = 0;
            start = 0;
            end = 0;
        }

        boolean measured() {
            return end != 0;
        }

        long bytes() {
            return end - start;
        }

        @Override
        public void send(long intendedNanos, long sentNanos, Completion completion) {
            long n = ++sends;
            if (n == from) {
                start = threads.getCurrentThreadAllocatedBytes();
            } else if (n == to) {
                end = threads.getCurrentThreadAllocatedBytes();
            }
            completion.complete(intendedNanos, sentNanos, Outcome.OK);
        }

        @Override
        public String description() {
            return "an instant answer";
        }
    }
}
