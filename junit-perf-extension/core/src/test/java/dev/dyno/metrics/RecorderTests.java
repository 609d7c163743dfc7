package dev.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The recorder")
class RecorderTests {

    private final Recorder recorder = Recorder.create();

    @Test
    @DisplayName("reports the percentiles of a known uniform distribution to HdrHistogram's precision")
    void percentilesOfAKnownDistribution() {
        Timer timer = recorder.timer("uniform");
        for (int ms = 1; ms <= 10_000; ms++) {
            timer.record(Duration.ofMillis(ms));
        }
        TimerSnapshot snapshot = timer.snapshot();
        assertThat(snapshot.count()).isEqualTo(10_000);
        assertThat(snapshot.percentile(50).toMillis()).isCloseTo(5_000, within(5L));
        assertThat(snapshot.percentile(90).toMillis()).isCloseTo(9_000, within(9L));
        assertThat(snapshot.percentile(99).toMillis()).isCloseTo(9_900, within(10L));
        assertThat(snapshot.max().toMillis()).isCloseTo(10_000, within(10L));
        assertThat(snapshot.min().toNanos()).isCloseTo(1_000_000, within(1_000L));
        assertThat(snapshot.mean().toMillis()).isCloseTo(5_000, within(5L));
    }

    @Test
    @DisplayName("loses no value when four threads record at once")
    void concurrentRecordingLosesNothing() throws InterruptedException {
        Timer timer = recorder.timer("concurrent");
        Counter counter = recorder.counter("ops");
        Distribution distribution = recorder.distribution("by.thread");
        int threads = 4;
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String key = "thread-" + t;
            Thread worker = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 1; i <= perThread; i++) {
                    timer.recordNanos(i);
                    counter.increment();
                    distribution.increment(key);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        // Snapshots taken while writers run must not lose or double-count values either.
        for (int i = 0; i < 20; i++) {
            timer.snapshot();
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(timer.snapshot().count()).isEqualTo((long) threads * perThread);
        assertThat(counter.count()).isEqualTo((long) threads * perThread);
        assertThat(distribution.snapshot().counts()).containsOnly(Map.entry("thread-0", 200_000L),
                Map.entry("thread-1", 200_000L), Map.entry("thread-2", 200_000L), Map.entry("thread-3", 200_000L));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @DisplayName("clamps values outside one nanosecond to one hour and counts them")
    void clampsOutOfRangeValues() {
        Timer timer = recorder.timer("odd");
        timer.recordNanos(-5);
        timer.record(Duration.ofHours(3));
        timer.recordNanos(1_000);
        TimerSnapshot snapshot = timer.snapshot();
        assertThat(snapshot.count()).isEqualTo(3);
        assertThat(snapshot.clamped()).isEqualTo(2);
        assertThat(snapshot.max()).isLessThanOrEqualTo(Duration.ofHours(1).plusSeconds(4));
    }

    @Test
    @DisplayName("keeps a gauge's last, lowest and highest value")
    void gaugeKeepsExtremes() {
        Gauge gauge = recorder.gauge("queue.depth");
        assertThat(gauge.snapshot().isSet()).isFalse();
        gauge.set(5);
        gauge.set(-2);
        gauge.set(3.5);
        assertThat(gauge.snapshot()).isEqualTo(new Gauge.GaugeSnapshot("queue.depth", 3.5, -2, 5));
        assertThatThrownBy(() -> gauge.set(Double.NaN)).hasMessageContaining("queue.depth").hasMessageContaining("NaN");
    }

    @Test
    @DisplayName("keeps a long time series within its capacity and keeps its shape")
    void timeSeriesStaysBounded() {
        TimeSeries series = recorder.series("ramp");
        long origin = System.nanoTime();
        int points = TimeSeries.CAPACITY * 10 + 7;
        for (int i = 0; i < points; i++) {
            series.recordAt(origin + i * 1_000_000L, i);
        }
        TimeSeriesSnapshot snapshot = series.snapshot();
        assertThat(snapshot.size()).isLessThanOrEqualTo(TimeSeries.CAPACITY + 1).isGreaterThan(TimeSeries.CAPACITY / 2);
        assertThat(snapshot.recorded()).isEqualTo(points);
        // A ramp stays a ramp: values and timestamps both increase, and cover the whole run.
        for (int i = 1; i < snapshot.size(); i++) {
            assertThat(snapshot.values()[i]).isGreaterThan(snapshot.values()[i - 1]);
            assertThat(snapshot.offsetsNanos()[i]).isGreaterThan(snapshot.offsetsNanos()[i - 1]);
        }
        assertThat(snapshot.values()[0]).isLessThan(points / 200.0);
        assertThat(snapshot.last()).isGreaterThan(points * 0.99);
        // Every point stands for the same number of values, so the mean of the ramp is preserved.
        assertThat(snapshot.statistics().getAverage()).isCloseTo((points - 1) / 2.0, within(points * 0.01));
    }

    @Test
    @DisplayName("orders distribution keys naturally, so worker-2 comes before worker-10")
    void distributionNaturalOrder() {
        Distribution d = recorder.distribution("containers.per.worker");
        d.expectKeys(List.of("worker-10", "worker-2", "worker-1"));
        d.add("worker-2", 3);
        assertThat(d.snapshot().counts().keySet()).containsExactly("worker-1", "worker-2", "worker-10");
        assertThat(d.snapshot().keysUsed()).isEqualTo(1);
        assertThat(d.snapshot().total()).isEqualTo(3);
    }

    @Test
    @DisplayName("gives one name one kind and says so when asked for another")
    void oneNameOneKind() {
        recorder.counter("locks");
        assertThatThrownBy(() -> recorder.timer("locks"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'locks' is a Counter, not a Timer; one name has one kind");
        assertThat(recorder.counter("locks")).isSameAs(recorder.counter("locks"));
    }

    @Test
    @DisplayName("rejects a metric name with spaces, naming it")
    void rejectsBadNames() {
        assertThatThrownBy(() -> recorder.timer("schedule total"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'schedule total'");
    }

    @Test
    @DisplayName("nests phases on one thread and times each in a phase timer")
    void phasesNest() throws InterruptedException {
        try (var outer = recorder.phase("load")) {
            try (var inner = recorder.phase("parse")) {
                Thread.sleep(5);
            }
            try (var inner = recorder.phase("index")) {
                inner.markFailed();
            }
        }
        try (var after = recorder.phase("query")) {
            assertThat(after.path()).isEqualTo("query");
        }
        MetricsSnapshot snapshot = recorder.snapshot();
        assertThat(snapshot.phases()).extracting(Phase.PhaseRecord::path)
                .containsExactly("load", "load/parse", "load/index", "query");
        assertThat(snapshot.phases()).extracting(Phase.PhaseRecord::failed).containsExactly(false, false, true, false);
        assertThat(snapshot.timer("phase.load/parse").orElseThrow().max()).isGreaterThanOrEqualTo(Duration.ofMillis(5));
        assertThat(snapshot.timer("phase.load").orElseThrow().max())
                .isGreaterThanOrEqualTo(snapshot.timer("phase.load/parse").orElseThrow().max());
    }

    @Test
    @DisplayName("turns METRICS_JSON fields into timers, gauges and attributes by their names")
    void ingestsMetricsJson() {
        recorder.ingest("java", MetricsJson.require("""
                Loading...
                === METRICS_JSON ===
                {"import_time": 1.5, "first_computation_ms": 250, "cpu_allocated": 2,
                 "restoration_success": true, "image": "jre17", "phases": {"load_time": 0.25}}
                """));
        MetricsSnapshot snapshot = recorder.snapshot();
        assertThat(snapshot.timer("java.import_time").orElseThrow().max().toMillis()).isCloseTo(1500, within(2L));
        assertThat(snapshot.timer("java.first_computation_ms").orElseThrow().max().toMillis()).isCloseTo(250, within(1L));
        assertThat(snapshot.timer("java.phases.load_time").orElseThrow().max().toMillis()).isCloseTo(250, within(1L));
        assertThat(snapshot.gauge("java.cpu_allocated").orElseThrow().value()).isEqualTo(2);
        assertThat(snapshot.gauge("java.restoration_success").orElseThrow().value()).isEqualTo(1);
        assertThat(snapshot.attributes()).containsEntry("java.image", "jre17");
    }

    @Test
    @DisplayName("computes a ratio of two counters, NaN when both are zero")
    void ratio() {
        assertThat(recorder.ratio("cache.hit", "cache.miss")).isNaN();
        recorder.counter("cache.hit").add(99);
        recorder.increment("cache.miss");
        assertThat(recorder.ratio("cache.hit", "cache.miss")).isEqualTo(0.99);
        IntStream.range(0, 3).forEach(i -> recorder.increment("cache.miss"));
        assertThat(recorder.ratio("cache.hit", "cache.miss")).isCloseTo(99 / 103.0, within(1e-9));
    }

    @Test
    @DisplayName("a histogram recorded elsewhere (a load agent's) adds exactly: the timer's percentiles are those of all values together, and values out of range are clamped and counted")
    void addsHistogramsRecordedElsewhere() {
        Recorder together = Recorder.create();
        Recorder merged = Recorder.create();
        org.HdrHistogram.Histogram agentOne = new org.HdrHistogram.Histogram(1, TimeUnit.HOURS.toNanos(1), 3);
        org.HdrHistogram.Histogram agentTwo = new org.HdrHistogram.Histogram(1, TimeUnit.HOURS.toNanos(2), 3);
        for (int i = 1; i <= 1000; i++) {
            long nanos = i * 1_000L * (i % 7 + 1);
            together.timer("latency").recordNanos(nanos);
            (i % 3 == 0 ? agentOne : agentTwo).recordValue(nanos);
        }
        merged.timer("latency").recordNanos(5_000);   // one of its own
        together.timer("latency").recordNanos(5_000);
        merged.timer("latency").add(agentOne);
        merged.timer("latency").add(agentTwo);

        TimerSnapshot expected = together.snapshot().timer("latency").orElseThrow();
        TimerSnapshot actual = merged.snapshot().timer("latency").orElseThrow();
        assertThat(actual.count()).isEqualTo(1001);
        for (double p : new double[] {0, 50, 90, 99, 99.9, 100}) {
            assertThat(actual.percentile(p)).as("p%s", p).isEqualTo(expected.percentile(p));
        }
        org.HdrHistogram.Histogram tooLong = new org.HdrHistogram.Histogram(1, TimeUnit.HOURS.toNanos(2), 3);
        tooLong.recordValueWithCount(TimeUnit.MINUTES.toNanos(90), 3);
        merged.timer("latency").add(tooLong);
        assertThat(merged.snapshot().timer("latency").orElseThrow().clamped()).isEqualTo(3);
    }
}
