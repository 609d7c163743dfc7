package dev.dyno.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dyno.metrics.Recorder;
import dev.dyno.report.ResultsFile;
import dev.dyno.report.TestOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Results history")
class ResultsHistoryTests {

    private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");
    private final Random random = new Random(31);
    @TempDir
    Path directory;
    private int runs;

    private HistoryAnalysis append(double requestMillis, long locks, String cpuCount) {
        return append(requestMillis, locks, cpuCount, false);
    }

    /** {@code schemaOne}: the run as dyno-result/1 wrote it, timers in milliseconds. */
    private HistoryAnalysis append(double requestMillis, long locks, String cpuCount, boolean schemaOne) {
        Recorder recorder = Recorder.create();
        for (int i = 0; i < 20; i++) {
            recorder.timer("request").record(Duration.ofNanos(Math.round(requestMillis * 1e6 * (1 + 0.01 * random.nextGaussian()))));
        }
        recorder.counter("locks").add(locks);
        TestOutcome outcome = new TestOutcome("[engine:junit-jupiter]/[class:com.example.X]/[method:y()]", "com.example.X",
                "y", "y()", "passed", null, START, Duration.ofMillis(5), recorder.snapshot(), List.of());
        Map<String, String> environment = new LinkedHashMap<>(Map.of("cpu.model", "Xeon", "cpu.count", cpuCount,
                "cpu.quota", "unlimited", "java.version", "17.0.15", "java.vm", "OpenJDK", "os", "Linux"));
        ObjectNode json = ResultsFile.toJson(outcome, environment);
        if (schemaOne) {
            json.put("schema", "dyno-result/1");
            ObjectNode timer = (ObjectNode) json.at("/metrics/timers/request");
            List.of("mean", "min", "p50", "p90", "p95", "p99", "p99.9", "max", "stddev").forEach(statistic ->
                    timer.put(statistic, Math.round(timer.get(statistic).asLong() / 1e3) / 1e3));
            timer.put("unit", "ms");
        }
        Clock clock = Clock.fixed(START.plus(Duration.ofMinutes(runs++)), ZoneOffset.UTC);
        return new ResultsHistory(directory, 0.05, () -> "0123456789abcdef0123456789abcdef01234567", clock).append(json);
    }

    @Test
    @DisplayName("append each run as a results file with its commit and time, one folder per test")
    void appends() throws IOException {
        append(10, 20, "2");
        HistoryAnalysis second = append(10, 20, "2");

        Path folder = directory.resolve(ResultsHistory.folderName(new ObjectMapper().createObjectNode()
                .put("class", "com.example.X").put("method", "y")
                .put("testId", "[engine:junit-jupiter]/[class:com.example.X]/[method:y()]")));
        assertThat(second.directory()).isEqualTo(folder);
        assertThat(folder.getFileName().toString()).startsWith("X.y-");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("20260105T100000000Z-0123456.json", "20260105T100100000Z-0123456.json");
        }
        JsonNode run = new ObjectMapper().readTree(folder.resolve("20260105T100100000Z-0123456.json").toFile());
        assertThat(run.path("schema").asText()).isEqualTo(ResultsFile.SCHEMA);
        assertThat(run.path("gitCommit").asText()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(run.path("recordedAt").asText()).isEqualTo("2026-01-05T10:01:00Z");
        assertThat(run.path("metrics").path("counters").path("locks").asLong()).isEqualTo(20);
        assertThat(second.runs()).isEqualTo(2);
        assertThat(second.text()).contains("changes are judged from run 4 on");
    }

    @Test
    @DisplayName("flag a slowdown that started a few runs ago, and leave steady metrics alone")
    void detectsRegression() {
        for (int i = 0; i < 12; i++) {
            append(10, 20, "2");
        }
        append(12.5, 20, "2");
        append(12.5, 20, "2");
        HistoryAnalysis analysis = append(12.5, 20, "2");

        assertThat(analysis.regressions()).extracting(HistoryAnalysis.MetricTrend::metric)
                .contains("request p50", "request mean").doesNotContain("locks");
        HistoryAnalysis.MetricTrend p50 = analysis.regressions().get(0);
        assertThat(p50.change().runs()).isEqualTo(3);
        assertThat(p50.change().since()).startsWith("run 13 0123456 2026-01-05T10:12:00Z");
        assertThat(analysis.text()).contains("✗ regression  request p50 +25.").contains("over the last 3 runs, since run 13")
                .contains("metrics without a change");
        assertThat(analysis.environmentWarnings()).isEmpty();
        dev.dyno.view.Chart trend = ResultsHistory.trendChart(p50);
        assertThat(trend.series()).extracting(dev.dyno.view.Series::name).containsExactly("runs", "regression");
        assertThat(trend.series().get(1).size()).isEqualTo(3);
        assertThat(trend.markers()).singleElement().satisfies(m -> assertThat(m.vertical()).isFalse());
    }

    @Test
    @DisplayName("read runs written in milliseconds (schema 1) and in nanoseconds (schema 2) as one history")
    void bothSchemas() {
        for (int i = 0; i < 8; i++) {
            append(10, 20, "2", true);
        }
        HistoryAnalysis steady = null;
        for (int i = 0; i < 3; i++) {
            steady = append(10, 20, "2", false);
        }
        assertThat(steady.changes()).isEmpty();
        HistoryAnalysis.MetricTrend p50 = steady.trends().stream().filter(t -> t.metric().equals("request p50"))
                .findFirst().orElseThrow();
        assertThat(p50.values()).hasSize(11).allSatisfy(ms -> assertThat(ms).isBetween(9.0, 11.0));

        HistoryAnalysis slower = append(12.5, 20, "2", false);
        slower = append(12.5, 20, "2", false);
        assertThat(slower.regressions()).extracting(HistoryAnalysis.MetricTrend::metric).contains("request p50");
    }

    @Test
    @DisplayName("report nothing for a steady history")
    void steady() {
        HistoryAnalysis analysis = null;
        for (int i = 0; i < 10; i++) {
            analysis = append(10, 20, "2");
        }
        assertThat(analysis.changes()).isEmpty();
        assertThat(analysis.trends()).extracting(HistoryAnalysis.MetricTrend::metric)
                .containsExactlyInAnyOrder("request p50", "request p95", "request mean", "locks");
    }

    @Test
    @DisplayName("flag runs on a different environment")
    void environmentChanges() {
        for (int i = 0; i < 3; i++) {
            append(10, 20, "4");
        }
        HistoryAnalysis analysis = append(10, 20, "2");

        assertThat(analysis.environmentWarnings())
                .containsExactly("cpu.count differs: 2 now, 4 in 3 of 3 earlier runs; compare with care");
        assertThat(analysis.text()).contains("  ! cpu.count differs");
    }

    @Test
    @DisplayName("gives up on a git that hangs, within its timeout, instead of holding the test forever")
    void hungGitTimesOut() {
        long started = System.nanoTime();
        String sha = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> ResultsHistory.commitFrom(List.of("sh", "-c", "echo 0123456789abcdef; sleep 60"),
                        Duration.ofMillis(500)));
        assertThat(sha).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    @DisplayName("takes the commit a git prints, and nothing that is not a commit")
    void readsCommit() {
        assertThat(ResultsHistory.commitFrom(List.of("sh", "-c", "echo 0123456789abcdef0123456789abcdef01234567"),
                Duration.ofSeconds(5))).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(ResultsHistory.commitFrom(List.of("sh", "-c", "echo fatal: not a git repository; exit 128"),
                Duration.ofSeconds(5))).isEmpty();
        assertThat(ResultsHistory.commitFrom(List.of("no-such-git-binary"), Duration.ofSeconds(5))).isEmpty();
    }
}
