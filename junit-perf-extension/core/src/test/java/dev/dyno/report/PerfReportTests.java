package dev.dyno.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.assertions.Threshold;
import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reports")
class PerfReportTests {

    private Recorder recorder;

    @BeforeEach
    void record() throws InterruptedException {
        recorder = Recorder.create();
        for (int i = 1; i <= 1000; i++) {
            recorder.timer("request").recordNanos(i * 10_000L);
            recorder.series("cpu.cores").record(i % 10 / 10.0);
        }
        recorder.distribution("per.worker").add("worker-1", 4);
        recorder.distribution("per.worker").add("worker-2", 6);
        recorder.counter("locks").add(20);
        recorder.attribute("policy", "longest-first");
        try (var outer = recorder.phase("load")) {
            try (var inner = recorder.phase("parse")) {
                Thread.sleep(2);
            }
        }
    }

    private TestOutcome outcome() {
        var thresholds = List.of(Threshold.parse("t", "locks <= 25").evaluate(recorder.snapshot()));
        return new TestOutcome("[engine:junit-jupiter]/[class:X]/[method:y()]", "com.example.X", "y", "y()",
                "passed", null, Instant.now(), Duration.ofMillis(5), recorder.snapshot(), thresholds);
    }

    @Test
    @DisplayName("list every threshold in the console with its state, a misconfigured one with its reason")
    void consoleListsEveryThreshold() {
        var snapshot = recorder.snapshot();
        Threshold misconfigured = Threshold.parse("t", "lock <= 25");
        var thresholds = List.of(Threshold.parse("t", "locks <= 25").evaluate(snapshot),
                Threshold.parse("t", "request p99 < 1ns").evaluate(snapshot),
                Threshold.ThresholdResult.misconfigured(misconfigured, "names metric 'lock', which the test never recorded"));
        var outcome = new TestOutcome("[engine:junit-jupiter]/[class:X]/[method:y()]", "com.example.X", "y", "y()",
                "broken", "names metric 'lock'", Instant.now(), Duration.ofMillis(5), snapshot, thresholds);

        assertThat(ConsoleSummary.render(outcome)).contains("""
                Thresholds:
                  ✓ locks <= 25 (actual 20)
                  ✗ request p99 < 1ns (actual 9.90ms)
                  ! lock <= 25 (misconfigured: names metric 'lock', which the test never recorded)
                """);
    }

    @Test
    @DisplayName("run the reporters on the class path in their order: results file, history, console")
    void reportersInOrder() {
        assertThat(PerfReport.reporters()).extracting(r -> r.getClass().getSimpleName())
                .containsSubsequence("ResultsFileReporter", "HistoryReporter", "ConsoleReporter");
    }

    @Test
    @DisplayName("give every invocation its own results file name")
    void uniqueFileNames() {
        TestOutcome a = outcome();
        TestOutcome b = new TestOutcome(a.testId() + "/[test-template-invocation:#2]", a.className(), a.methodName(),
                a.displayName(), a.status(), null, a.startedAt(), a.duration(), a.metrics(), a.thresholds());
        assertThat(ResultsFile.fileName(a)).startsWith("X.y-").endsWith(".json").isNotEqualTo(ResultsFile.fileName(b));
    }

    @Test
    @DisplayName("name an invocation's results file by its invocation numbers, before the hash")
    void invocationNumbersInFileName() {
        TestOutcome plain = outcome();
        TestOutcome second = invocation("[engine:junit-jupiter]/[class:X]/[test-template:y(int)]"
                + "/[test-template-invocation:#2]", "[2] n=10000");
        TestOutcome nested = invocation("[engine:junit-jupiter]/[class-template:X]/[class-template-invocation:#3]"
                + "/[test-template:y(int)]/[test-template-invocation:#12]", "[12] n=5");
        assertThat(ResultsFile.fileName(plain)).matches("X\\.y-[0-9a-f]{8}\\.json");
        assertThat(ResultsFile.fileName(second)).matches("X\\.y-2-[0-9a-f]{8}\\.json");
        assertThat(ResultsFile.fileName(nested)).matches("X\\.y-3-12-[0-9a-f]{8}\\.json");
        assertThat(second.invocations()).containsExactly(2);
        assertThat(plain.invocations()).isEmpty();
    }

    @Test
    @DisplayName("show an invocation's display name in its console line, and a plain test's name alone")
    void invocationInConsole() {
        TestOutcome second = invocation("[engine:junit-jupiter]/[class:X]/[test-template:y(int)]"
                + "/[test-template-invocation:#2]", "[2] n=10000");
        assertThat(ConsoleSummary.render(second)).startsWith("\n=== Dyno: X.y [2] n=10000 — PASSED in ");
        assertThat(ConsoleSummary.render(outcome())).startsWith("\n=== Dyno: X.y — PASSED in ");
    }

    private TestOutcome invocation(String testId, String displayName) {
        TestOutcome a = outcome();
        return new TestOutcome(testId, a.className(), a.methodName(), displayName, a.status(), null, a.startedAt(),
                a.duration(), a.metrics(), a.thresholds());
    }
}
