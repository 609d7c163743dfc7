package dev.dyno.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.jfr.JfrAssertions;
import dev.dyno.jfr.JfrEvents;
import dev.dyno.jfr.JfrRecording;
import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;

/** The snippets of docs/jfr.md, run. */
@DisplayName("docs/jfr.md")
class JfrExamplesTest {

    /** A shared structure that threads update under its monitor. */
    static final class OrderBook {
        private final List<Integer> orders = new ArrayList<>();

        synchronized void add(int order) {
            orders.add(order);
        }
    }

    // tag::recording[]
    @PerfTest(thresholds = {
            "jfr.allocation.bytes.test_thread < 256MB",   // sizes: B, KB, MB, GB (powers of 1024)
            "jfr.gc.pause count <= 20",                   // timer: every GC pause of the method
            "jfr.monitor.blocked max < 1s"})              // timer: each blocked monitor entry
    @JfrRecording(events = "jdk.JavaMonitorEnter")        // record every contended entry, not only those >= 10 ms
    @DisplayName("records the JVM while the method runs")
    void sortsAndBooks(Recorder recorder, JfrEvents jfr) throws InterruptedException {
        Random random = new Random(42);
        for (int batch = 0; batch < 20; batch++) {
            int[] numbers = random.ints(100_000).toArray();
            recorder.time("sort", () -> Arrays.sort(numbers));
        }
        OrderBook book = new OrderBook();
        Thread other = new Thread(() -> book.add(1));
        synchronized (book) {                             // hold the book while the other thread tries to add:
            other.start();                                // one contended entry, on any machine
            while (other.getState() != Thread.State.BLOCKED) {
                Thread.onSpinWait();
            }
            Thread.sleep(20);
        }
        other.join();
        JfrAssertions.assertThat(jfr).monitorEnters().on(OrderBook.class).hasCountAtLeast(1).noneLongerThan(Duration.ofSeconds(1));
        JfrAssertions.assertThat(jfr).events("jdk.ExecutionSample").hasCountAtLeast(1);
    }
    // end::recording[]

    @PerfTest(thresholds = "allocation.parse max < 1KB")
    @DisplayName("measures what one block allocates")
    void allocationOfABlock(Recorder recorder) {
        String line = "42,17,99";
        // tag::allocation[]
        int[] sum = new int[1];
        long bytes = recorder.allocation("parse", () -> {     // gauge allocation.parse: value, min, max
            for (int i = 0; i < line.length(); i++) {
                sum[0] += Character.isDigit(line.charAt(i)) ? line.charAt(i) - '0' : 0;
            }
        });
        assertThat(bytes).isLessThan(1024);                    // exact: the JVM's own per-thread counter
        assertThat(recorder.snapshot().gauge("allocation.parse").orElseThrow().max()).isEqualTo(bytes);
        // end::allocation[]
    }
}
