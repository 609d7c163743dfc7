package dev.dyno.docs;

import static dev.dyno.assertions.PerfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.PerfTest;
import dev.dyno.metrics.Counter;
import dev.dyno.metrics.Gauge;
import dev.dyno.metrics.MetricsJson;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Phase;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Timer;
import dev.dyno.metrics.TimerSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The snippets of docs/recorder.md, run. */
@DisplayName("docs/recorder.md")
class RecorderExamplesTest {

    @PerfTest(thresholds = {"cache.get p99 < 50ms", "cache.misses <= 100", "queue.depth max < 100"})
    @DisplayName("records every kind of metric")
    void recordsEveryKind(Recorder recorder) throws Exception {
        ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();
        // tag::record[]
        Timer gets = recorder.timer("cache.get");               // look it up once, keep it on the hot path
        Counter misses = recorder.counter("cache.misses");
        Gauge depth = recorder.gauge("queue.depth");
        for (int i = 0; i < 1_000; i++) {
            String key = "k" + (i % 100);
            long start = System.nanoTime();
            if (cache.get(key) == null) {
                misses.increment();
                cache.put(key, "v");
            }
            gets.recordSince(start);
            depth.set(i % 10);
        }
        recorder.series("cache.size").record(cache.size());        // a point over time
        recorder.distribution("keys.by.first.digit").increment("1");   // counts per key
        recorder.attribute("cache", "ConcurrentHashMap");         // a fact, shown as a report parameter
        recorder.table("cache settings", List.of("setting", "value"), List.of(List.of("keys", "100")));
        String loaded = recorder.time("cache.load", () -> cache.get("k1"));   // time a Callable, keep its result
        try (Timer.Sample sample = recorder.timer("cache.clear").start()) { // stops when closed
            cache.clear();
        }
        // end::record[]
        assertThat(loaded).isEqualTo("v");
        assertThat(misses).isEqualTo(100);
        assertThat(gets).hasCount(1_000);
    }

    @PerfTest
    @DisplayName("reads back what was recorded")
    void readsValues(Recorder recorder) {
        recorder.counter("cache.hits").add(950);
        recorder.counter("cache.misses").add(50);
        recorder.gauge("queue.depth").set(3);
        recorder.gauge("queue.depth").set(7);
        recorder.gauge("queue.depth").set(5);
        for (int i = 1; i <= 100; i++) {
            recorder.record("cache.get", Duration.ofMillis(i));
        }
        // tag::read[]
        long hits = recorder.counter("cache.hits").count();            // a counter's value now
        double depth = recorder.gauge("queue.depth").value();          // a gauge's last value (NaN if never set)
        TimerSnapshot get = recorder.timer("cache.get").snapshot();    // a timer's statistics
        Duration p99 = get.percentile(99);
        Duration p999 = get.percentile(99.9);

        MetricsSnapshot all = recorder.snapshot();                     // everything, at one moment
        long misses = all.counter("cache.misses");                     // 0 for a counter never touched
        double maxDepth = all.gauge("queue.depth").orElseThrow().max();
        Duration median = all.timer("cache.get").orElseThrow().median();
        double hitRate = recorder.ratio("cache.hits", "cache.misses");  // hits / (hits + misses)
        // end::read[]
        assertThat(hits).isEqualTo(950);
        assertThat(depth).isEqualTo(5);
        assertThat(p99).isBetween(Duration.ofMillis(98), Duration.ofMillis(100));
        assertThat(p999).isBetween(Duration.ofMillis(99), Duration.ofMillis(101));
        assertThat(misses).isEqualTo(50);
        assertThat(maxDepth).isEqualTo(7);
        assertThat(median).isBetween(Duration.ofMillis(49), Duration.ofMillis(51));
        assertThat(hitRate).isEqualTo(0.95);
    }

    @PerfTest(thresholds = "phase.import/parse_rows max < 1s")
    @DisplayName("times nested phases into phase.<path> timers")
    void phases(Recorder recorder) {
        // tag::phases[]
        try (Phase load = recorder.phase("import")) {
            try (Phase parse = recorder.phase("parse rows")) {    // nested: path "import/parse rows"
                LockSupport.parkNanos(1_000_000);
            }
        }
        // timers phase.import and phase.import/parse_rows: a space becomes _ in the timer's name
        assertThat(recorder).timer("phase.import/parse_rows").hasCount(1);
        // end::phases[]
        assertThat(recorder).timer("phase.import").hasCount(1);
    }

    @Test
    @DisplayName("refuses a phase name with a slash")
    void phaseNameWithSlash() {
        Recorder recorder = Recorder.create();
        // tag::phase-slash[]
        assertThatThrownBy(() -> recorder.phase("read/write"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain '/', which separates nested phases");
        // end::phase-slash[]
    }

    @PerfTest(thresholds = {"startup_time max < 1s", "rows == 1000"})
    @DisplayName("turns a METRICS_JSON block into metrics")
    void ingest(Recorder recorder) {
        // tag::ingest[]
        String output = """
                loading...
                === METRICS_JSON ===
                {"startup_time": 0.25, "parse_ms": 40, "rows": 1000, "cache": {"hits": 7}, "engine": "v2"}
                """;
        recorder.ingest(MetricsJson.require(output));
        // timers startup_time (seconds) and parse_ms (milliseconds); gauges rows and cache.hits; attribute engine
        assertThat(recorder).timer("startup_time").max().isCloseTo(Duration.ofMillis(250), Duration.ofMillis(1));
        assertThat(recorder.snapshot().gauge("cache.hits").orElseThrow().value()).isEqualTo(7);
        // end::ingest[]
    }

    @Test
    @DisplayName("works outside JUnit")
    void outsideJUnit() throws Exception {
        // tag::create[]
        Recorder recorder = Recorder.create();      // outside JUnit: a benchmark, a main method
        recorder.time("work", () -> Math.sqrt(42));
        System.out.println(recorder.snapshot().timer("work").orElseThrow());
        // end::create[]
        assertThat(recorder.snapshot().timer("work")).isPresent();
    }
}
