package dev.dyno.allure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.assertions.Threshold;
import dev.dyno.metrics.Recorder;
import dev.dyno.report.RunSummary;
import dev.dyno.report.RunSummary.TestLine;
import dev.dyno.view.SummaryRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The run summary (summary.md, the CI step summary, the Allure entry)")
class RunSummaryTests {

    @TempDir
    Path dir;

    private RunSummary summary() {
        Recorder recorder = Recorder.create();
        recorder.timer("request").recordNanos(3_000_000);
        var breached = Threshold.parse("t", "request p99 < 2ms").evaluate(recorder.snapshot());
        var passed = Threshold.parse("t", "request count >= 1").evaluate(recorder.snapshot());
        Map<String, String> boost = new LinkedHashMap<>();
        boost.put("configuration", "boost ×2");
        boost.put("improvement", "-31 %");
        return new RunSummary(List.of(
                new TestLine("SlowTest.request", "failed", Duration.ofMillis(1500), "1 of 2 thresholds breached: …",
                        List.of(breached, passed), List.of()),
                new TestLine("CpuBoostTest.python", "passed", Duration.ofSeconds(42), null, List.of(passed),
                        List.of(new SummaryRow("CPU boost: start-up improvement", boost)))),
                List.of("GpuTest.cuda: no GPU here"));
    }

    @Test
    @DisplayName("Markdown: the headline, one line per test, the breached thresholds, each section as a table")
    void markdown() {
        String md = summary().markdown();

        assertThat(md).startsWith("## Dyno: 2 perf tests: 1 passed, 1 failed\n");
        assertThat(md).contains("| ✅ | CpuBoostTest.python | 42.0s | 1 threshold passed |")
                .contains("| ❌ | SlowTest.request | 1.50s | 1 of 2 thresholds breached |");
        assertThat(md).contains("### Thresholds breached\n\n- **SlowTest.request**: `✗ request p99 < 2ms (actual 3.00ms)`");
        assertThat(md).contains("### CPU boost: start-up improvement\n\n| test | configuration | improvement |\n|---|---|---|\n"
                + "| CpuBoostTest.python | boost ×2 | -31 % |");
        assertThat(md).contains("### Skipped\n\n- GpuTest.cuda: no GPU here");
    }

    @Test
    @DisplayName("written to summary.md always, and appended to GITHUB_STEP_SUMMARY's file when there is one")
    void written() throws IOException {
        Path stepSummary = dir.resolve("step-summary.md");
        Files.writeString(stepSummary, "earlier step\n");

        Path file = summary().write(dir.resolve("results"), stepSummary);

        assertThat(file).hasFileName("summary.md").content().startsWith("## Dyno: 2 perf tests");
        assertThat(stepSummary).content().startsWith("earlier step\n## Dyno: 2 perf tests");
    }

    @Test
    @DisplayName("a run of no perf test says so, with no empty tables")
    void empty() {
        assertThat(new RunSummary(List.of(), List.of()).markdown()).isEqualTo("## Dyno: 0 perf tests\n\n");
    }

    @Test
    @DisplayName("Allure gets an entry of its own that is not a test: no status, the tables in its description")
    void allureEntry() throws IOException {
        String previous = System.getProperty("allure.results.directory");
        System.setProperty("allure.results.directory", dir.toString());
        try {
            new AllureRunSummary().write(summary());
        } finally {
            if (previous == null) {
                System.clearProperty("allure.results.directory");
            } else {
                System.setProperty("allure.results.directory", previous);
            }
        }
        Path result;
        try (Stream<Path> files = Files.list(dir)) {
            result = files.filter(p -> p.toString().endsWith("-result.json")).findFirst().orElseThrow();
        }
        JsonNode json = new ObjectMapper().readTree(result.toFile());
        assertThat(json.path("name").asText()).isEqualTo("Dyno run summary");
        assertThat(json.has("status") && !json.get("status").isNull()).isFalse();
        assertThat(json.path("descriptionHtml").asText()).contains("CPU boost: start-up improvement")
                .contains("<td>boost ×2</td>");
    }
}
