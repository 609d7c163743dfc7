package dev.dyno.allure;

import dev.dyno.assertions.Threshold.ThresholdResult;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Phase.PhaseRecord;
import dev.dyno.report.MetricCharts;
import dev.dyno.report.Reporter;
import dev.dyno.report.ResultsFile;
import dev.dyno.report.TestOutcome;
import dev.dyno.report.TestReport;
import dev.dyno.view.Attachment;
import dev.dyno.view.Chart;
import dev.dyno.view.Step;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Stage;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StepResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Puts a perf test's report into the Allure test case that allure-junit5 is writing: parameters,
 * steps with their real times (phases, the capability's steps, the thresholds), tables, charts as
 * images, and the raw data. The only place Dyno uses allure-java.
 */
public final class AllureReporter implements Reporter {

    /** True when allure-junit5 is recording the current test. */
    static boolean active() {
        return Allure.getLifecycle().getCurrentTestCase().isPresent();
    }

    @Override
    public void report(TestReport report) {
        if (!active()) {
            return;
        }
        writeEnvironment(report.environment());
        attach(report, ResultsFile.json(ResultsFile.toJson(report.outcome(), report.environment())));
    }

    static void attach(TestReport report, String resultsJson) {
        AllureLifecycle lifecycle = Allure.getLifecycle();
        Optional<String> testCase = lifecycle.getCurrentTestCase();
        if (testCase.isEmpty()) {
            return;
        }
        TestOutcome outcome = report.outcome();
        MetricsSnapshot metrics = outcome.metrics();
        List<StepResult> steps = new ArrayList<>(phaseSteps(metrics.phases()));
        metrics.steps().forEach(step -> steps.add(step(step)));
        long end = outcome.startedAt().plus(outcome.duration()).toEpochMilli();
        for (ThresholdResult r : outcome.thresholds()) {
            steps.add(new StepResult().setName("threshold " + r.line())
                    .setStatus(switch (r.state()) {
                        case PASSED -> Status.PASSED;
                        case BREACHED, NO_VALUES -> Status.FAILED;
                        case MISCONFIGURED -> Status.BROKEN;
                    }).setStage(Stage.FINISHED)
                    .setStart(end).setStop(end));
        }
        steps.sort(Comparator.comparing(StepResult::getStart, Comparator.nullsLast(Comparator.naturalOrder())));
        lifecycle.updateTestCase(testCase.get(), result -> {
            metrics.attributes().forEach((name, value) ->
                    result.getParameters().add(new Parameter().setName(name).setValue(value)));
            result.getSteps().addAll(steps);
            result.getLabels().add(new io.qameta.allure.model.Label().setName("tag").setValue("perf"));
        });

        // Rendered first: the headline shows the first chart inline.
        ChartImages.Colours colours = new ChartImages.Colours();
        List<Chart> charts = new ArrayList<>(report.charts());
        charts.addAll(MetricCharts.of(metrics));
        Map<Chart, byte[]> images = new LinkedHashMap<>();
        Map<Chart, byte[]> vectors = new LinkedHashMap<>();
        List<String> unavailable = new ArrayList<>();
        for (Chart chart : charts) {
            if (!chart.isEmpty()) {
                try {
                    images.put(chart, ChartImages.png(chart, colours));
                    if (ChartImages.zoomable(chart)) {
                        vectors.put(chart, ChartImages.svg(chart, colours));
                    }
                } catch (RuntimeException | LinkageError e) {
                    // A chart that cannot be drawn (no fonts, no AWT) must not lose the numbers.
                    unavailable.add(chart.title() + ": " + e);
                }
            }
        }
        String headline = Headline.html(report, images.entrySet().stream().findFirst().map(Map.Entry::getValue));
        lifecycle.updateTestCase(testCase.get(), result -> result.setDescriptionHtml(headline));

        // The rest, grouped, so a test page is not forty loose files: charts, tables, data, pages, logs.
        group(lifecycle, "charts", () -> {
            images.forEach((chart, png) -> {
                lifecycle.addAttachment(chart.title(), "image/png", ".png", png);
                if (vectors.containsKey(chart)) {
                    lifecycle.addAttachment(chart.title() + " (SVG, zoomable)", "image/svg+xml", ".svg", vectors.get(chart));
                }
            });
            unavailable.forEach(why -> attach(lifecycle, "chart unavailable", "text/plain", ".txt", why));
        });
        group(lifecycle, "tables", () -> {
            report.tables().forEach(table ->
                    attach(lifecycle, table.title(), "text/html", ".html", MetricsTables.tableHtml(table)));
            if (!metrics.timers().isEmpty()) {
                attach(lifecycle, "percentiles", "text/html", ".html", MetricsTables.percentileHtml(metrics));
            }
            if (!metrics.counters().isEmpty() || !metrics.gauges().isEmpty() || !metrics.distributions().isEmpty()) {
                attach(lifecycle, "counters, gauges, distributions", "text/html", ".html",
                        MetricsTables.valuesHtml(metrics));
            }
        });
        group(lifecycle, "data", () -> {
            attach(lifecycle, "results.json", "application/json", ".json", resultsJson);
            attach(lifecycle, "metrics.csv", "text/csv", ".csv", MetricsTables.summaryCsv(metrics));
            if (!metrics.series().isEmpty()) {
                attach(lifecycle, "series.csv", "text/csv", ".csv", MetricsTables.seriesCsv(metrics));
            }
            metrics.timers().values().stream()
                    .filter(t -> t.count() > 0 && !t.name().startsWith("phase."))
                    .limit(MetricCharts.MAX_CHARTS_PER_KIND)
                    .forEach(t -> attach(lifecycle, "hdr percentiles: " + t.name() + " (ms)", "text/plain", ".txt",
                            t.percentileDistribution()));
            attachAll(lifecycle, report, Attachment.DATA);
        });
        group(lifecycle, Attachment.PAGE, () -> attachAll(lifecycle, report, Attachment.PAGE));
        group(lifecycle, Attachment.LOG, () -> attachAll(lifecycle, report, Attachment.LOG));
    }

    private static void attachAll(AllureLifecycle lifecycle, TestReport report, String group) {
        for (Attachment attachment : report.attachments()) {
            if (!attachment.group().equals(group)) {
                continue;
            }
            try {
                if (attachment.file().isPresent()) {
                    attachFileTail(attachment.name(), attachment.file().get(), attachment.tailBytes());
                } else {
                    lifecycle.addAttachment(attachment.name(), attachment.mediaType(), attachment.fileExtension(),
                            attachment.content());
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("[dyno] could not attach " + attachment + ": " + e);
            }
        }
    }

    /** A step named {@code name} holding what {@code body} attaches; left out when it attaches nothing. */
    private static void group(AllureLifecycle lifecycle, String name, Runnable body) {
        String uuid = UUID.randomUUID().toString();
        lifecycle.startStep(uuid, new StepResult().setName(name).setStatus(Status.PASSED));
        try {
            body.run();
        } finally {
            lifecycle.stopStep(uuid);
        }
        lifecycle.getCurrentTestCase().ifPresent(test -> lifecycle.updateTestCase(test, result ->
                result.getSteps().removeIf(step -> step.getName().equals(name) && step.getAttachments().isEmpty()
                        && step.getSteps().isEmpty())));
    }

    static StepResult step(Step step) {
        StepResult result = new StepResult().setName(step.name()).setStatus(step.passed() ? Status.PASSED : Status.FAILED)
                .setStage(Stage.FINISHED).setStart(step.start().toEpochMilli()).setStop(step.end().toEpochMilli());
        step.parameters().forEach((key, value) -> result.getParameters().add(new Parameter().setName(key).setValue(value)));
        return result;
    }

    private static void attach(AllureLifecycle lifecycle, String name, String type, String extension, String content) {
        lifecycle.addAttachment(name, type, extension, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Attaches the end of a file, at most {@code maxBytes}, as plain text. */
    static void attachFileTail(String name, Path file, int maxBytes) throws IOException {
        if (!Files.isReadable(file)) {
            return;
        }
        try (var in = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(0, in.length() - maxBytes);
            byte[] tail = new byte[(int) (in.length() - from)];
            in.seek(from);
            in.readFully(tail);
            String prefix = from > 0 ? "[… first " + from + " bytes omitted; whole log: " + file + "]\n" : "";
            byte[] body = (prefix + new String(tail, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            Allure.getLifecycle().addAttachment(name, "text/plain", ".txt", body);
        }
    }

    /** Phases as finished steps with their real start and stop times, nested by path. */
    static List<StepResult> phaseSteps(List<PhaseRecord> phases) {
        Map<String, StepResult> byPath = new HashMap<>();
        List<StepResult> roots = new ArrayList<>();
        phases.stream().sorted(Comparator.comparingLong(PhaseRecord::startOffsetNanos)
                        .thenComparingInt(PhaseRecord::depth))
                .forEach(phase -> {
                    long start = phase.startEpochMillis();
                    StepResult step = new StepResult().setName(phase.name())
                            .setStatus(phase.failed() ? Status.FAILED : Status.PASSED)
                            .setStage(Stage.FINISHED)
                            .setStart(start)
                            .setStop(start + Math.max(0, Math.round(phase.durationNanos() / 1e6)));
                    StepResult parent = byPath.get(phase.parentPath());
                    (parent == null ? roots : parent.getSteps()).add(step);
                    byPath.put(phase.path(), step);
                });
        return roots;
    }

    /**
     * Writes Allure's {@code environment.properties} (shown on the report's overview) once per
     * results directory.
     */
    static void writeEnvironment(Map<String, String> environment) {
        Path directory = Path.of(System.getProperty("allure.results.directory", "allure-results"));
        Path file = directory.resolve("environment.properties");
        if (Files.exists(file)) {
            return;
        }
        Properties properties = new Properties();
        properties.putAll(environment);
        try {
            Files.createDirectories(directory);
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(out, "written by Dyno");
            }
        } catch (IOException e) {
            System.err.println("[dyno] could not write " + file + ": " + e);
        }
    }
}
