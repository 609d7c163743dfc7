package dev.dyno.allure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.dyno.PerfTest;
import dev.dyno.assertions.Threshold;
import dev.dyno.config.DynoAssumptions;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Recorder;
import dev.dyno.report.MetricCharts;
import dev.dyno.report.TestOutcome;
import dev.dyno.report.TestReport;
import dev.dyno.spi.PerfContext;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.AllureResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StepResult;
import io.qameta.allure.model.TestResult;
import io.qameta.allure.model.TestResultContainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

@DisplayName("Allure reports")
class AllureReporterTests {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};
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
    @DisplayName("draw a PNG chart for each timer, series, distribution and the phases")
    void charts() {
        Map<String, byte[]> charts = new java.util.LinkedHashMap<>();
        ChartImages.Colours colours = new ChartImages.Colours();
        MetricCharts.of(recorder.snapshot()).forEach(c -> charts.put(c.title(), ChartImages.png(c, colours)));
        assertThat(charts).containsOnlyKeys("latency by percentile: request (1000 values)", "over time: cpu.cores",
                "distribution: per.worker", "phases");
        charts.values().forEach(png -> assertThat(Arrays.copyOf(png, 4)).isEqualTo(PNG_SIGNATURE));
    }

    @Test
    @DisplayName("write CSV that reads back to the recorded numbers")
    void csv() throws IOException {
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(MetricsTables.summaryCsv(recorder.snapshot()))).getRecords();
        CSVRecord p99 = rows.stream().filter(r -> r.get("metric").equals("request") && r.get("statistic").equals("p99"))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(p99.get("value"))).isCloseTo(9.9, org.assertj.core.api.Assertions.within(0.02));
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get("metric")).isEqualTo("per.worker");
            assertThat(r.get("statistic")).isEqualTo("worker-2");
            assertThat(r.get("value")).isEqualTo("6");
        });
        List<CSVRecord> points = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(MetricsTables.seriesCsv(recorder.snapshot()))).getRecords();
        assertThat(points).hasSize(1000);
    }

    @Test
    @DisplayName("add parameters, nested phase steps with real durations, thresholds and attachments to the Allure test")
    void allure() {
        InMemoryWriter writer = reportOne();
        TestResult result = writer.results.get(0);
        assertThat(result.getParameters()).extracting(Parameter::getName, Parameter::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("policy", "longest-first"));
        StepResult load = result.getSteps().get(0);
        assertThat(load.getName()).isEqualTo("load");
        assertThat(load.getSteps()).extracting(StepResult::getName).containsExactly("parse");
        assertThat(load.getSteps().get(0).getStop() - load.getSteps().get(0).getStart()).isGreaterThanOrEqualTo(2);
        assertThat(result.getSteps()).extracting(StepResult::getName).contains("threshold ✓ locks <= 25 (actual 20)");
        // the headline: verdict, thresholds and the first chart inline; the rest grouped in named steps
        assertThat(result.getDescriptionHtml()).contains("PASSED").contains("1 of 1 thresholds passed")
                .contains("locks &lt;= 25").contains("data:image/png;base64,");
        assertThat(result.getSteps()).extracting(StepResult::getName).contains("charts", "tables", "data")
                .doesNotContain("logs", "pages");
        assertThat(stepNamed(result, "charts").getAttachments()).extracting(Attachment::getName)
                .contains("latency by percentile: request (1000 values)");
        assertThat(stepNamed(result, "data").getAttachments()).extracting(Attachment::getName)
                .contains("results.json", "metrics.csv", "series.csv", "hdr percentiles: request (ms)");
        assertThat(result.getAttachments()).isEmpty();
        assertThat(allAttachments(result)).extracting(Attachment::getName).contains("percentiles",
                "latency by percentile: request (1000 values)", "results.json", "metrics.csv", "series.csv",
                "hdr percentiles: request (ms)");
        assertThat(writer.attachments).hasSameSizeAs(allAttachments(result));
    }

    @Test
    @DisplayName("attach a dense line chart as SVG too, for zooming, and keep sparse charts and bars PNG only")
    void zoomableCharts() {
        InMemoryWriter writer = reportOne();
        List<Attachment> charts = stepNamed(writer.results.get(0), "charts").getAttachments();
        // 1000 points over time: more than the chart's pixel columns can show apart
        Attachment svg = charts.stream().filter(a -> a.getName().equals("over time: cpu.cores (SVG, zoomable)"))
                .findFirst().orElseThrow();
        assertThat(svg.getType()).isEqualTo("image/svg+xml");
        String text = new String(writer.attachments.get(svg.getSource()), java.nio.charset.StandardCharsets.UTF_8);
        // vectors at the PNG's size (text too is drawn as paths, so the lines and labels scale alike)
        assertThat(text).contains("<svg").contains("viewBox=\"0 0 900 420\"").contains("<path").endsWith("</svg>\n");
        // two workers in bars, and the phases: nothing to zoom into
        assertThat(charts).extracting(Attachment::getName)
                .contains("distribution: per.worker", "phases")
                .doesNotContain("distribution: per.worker (SVG, zoomable)", "phases (SVG, zoomable)");
    }

    /** Reports {@link #outcome()} as a test of its own, written to memory. */
    private InMemoryWriter reportOne() {
        InMemoryWriter writer = new InMemoryWriter();
        AllureLifecycle lifecycle = new AllureLifecycle(writer);
        io.qameta.allure.Allure.setLifecycle(lifecycle);
        String uuid = UUID.randomUUID().toString();
        lifecycle.scheduleTestCase(new TestResult().setUuid(uuid).setName("y"));
        lifecycle.startTestCase(uuid);
        AllureReporter.attach(new TestReport(outcome(), Map.of(), DynoConfiguration.of(Map.of())), "{}");
        lifecycle.stopTestCase(uuid);
        lifecycle.writeTestCase(uuid);
        return writer;
    }

    @Test
    @DisplayName("leave a skipped perf test skipped in Allure, with its reason, and still attach the results")
    void allureSkipped() {
        InMemoryWriter writer = runWithAllure(SkippedTestCase.class, "target/perf-report-tests/skipped");

        assertThat(writer.results).singleElement().satisfies(result -> {
            assertThat(result.getStatus()).isEqualTo(Status.SKIPPED);
            assertThat(result.getStatusDetails().getMessage()).isEqualTo("needs python3-pandas");
            assertThat(allAttachments(result)).extracting(Attachment::getName).contains("results.json");
        });
    }

    private static StepResult stepNamed(TestResult result, String name) {
        return result.getSteps().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    /** The test's attachments and its steps', at any depth. */
    private static List<Attachment> allAttachments(TestResult result) {
        List<Attachment> all = new ArrayList<>(result.getAttachments());
        java.util.ArrayDeque<StepResult> steps = new java.util.ArrayDeque<>(result.getSteps());
        while (!steps.isEmpty()) {
            StepResult step = steps.pop();
            all.addAll(step.getAttachments());
            steps.addAll(step.getSteps());
        }
        return all;
    }

    @Test
    @DisplayName("attach what a step run on the outcome adds, such as a failure's flame graph")
    void attachmentsAddedOnOutcome() {
        InMemoryWriter writer = runWithAllure(OnOutcomeTestCase.class, "target/perf-report-tests/on-outcome");

        assertThat(writer.results).singleElement().satisfies(result -> {
            assertThat(result.getStatus()).isEqualTo(Status.FAILED);
            assertThat(stepNamed(result, "pages").getAttachments()).extracting(Attachment::getName)
                    .containsExactly("made on the outcome: failed");
            assertThat(allAttachments(result)).extracting(Attachment::getName).contains("results.json");
            String source = allAttachments(result).stream()
                    .filter(a -> a.getName().equals("made on the outcome: failed")).findFirst().orElseThrow().getSource();
            assertThat(new String(writer.attachments.get(source), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("<html>flame</html>");
        });
    }

    /** Runs {@code testCase} with allure-junit5 listening, as a build does; returns what Allure would write. */
    private static InMemoryWriter runWithAllure(Class<?> testCase, String resultsDirectory) {
        InMemoryWriter writer = new InMemoryWriter();
        AllureLifecycle lifecycle = new AllureLifecycle(writer);
        io.qameta.allure.Allure.setLifecycle(lifecycle);
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
                .addTestExecutionListeners(new AllureJunitPlatform(lifecycle)).build())
                .execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testCase))
                        .configurationParameter(DynoConfiguration.RESULTS_DIR_PROPERTY, resultsDirectory)
                        .configurationParameter(DynoConfiguration.HISTORY_DIR_PROPERTY, DynoConfiguration.HISTORY_OFF)
                        // the launcher reads system properties too: CI's -Ddyno.skips=fail must not reach the fixture
                        .configurationParameter(DynoConfiguration.SKIPS_PROPERTY, "skip")
                        .build());
        return writer;
    }

    static class OnOutcomeTestCase {
        @PerfTest(thresholds = "work >= 2")
        @ExtendWith(AttachesOnOutcome.class)
        void breaches(Recorder recorder) {
            recorder.increment("work");
        }
    }

    /** A capability that attaches only once it knows the outcome, as @JfrRecording does with flame graphs. */
    static class AttachesOnOutcome implements BeforeEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            PerfContext.onOutcome(context, outcome -> PerfContext.recorder(context).attach(dev.dyno.view.Attachment
                    .text("made on the outcome: " + outcome.status(), "text/html", ".html", "<html>flame</html>")
                    .inGroup(dev.dyno.view.Attachment.PAGE)));
        }
    }

    static class SkippedTestCase {
        @PerfTest
        void needsPandas() {
            DynoAssumptions.abort("needs python3-pandas");
        }
    }

    /** Collects what Allure would write to disk. */
    private static final class InMemoryWriter implements AllureResultsWriter {
        final List<TestResult> results = new ArrayList<>();
        final Map<String, byte[]> attachments = new HashMap<>();

        @Override
        public void write(TestResult testResult) {
            results.add(testResult);
        }

        @Override
        public void write(TestResultContainer container) {
        }

        @Override
        public void write(String source, InputStream attachment) {
            try {
                attachments.put(source, attachment.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
