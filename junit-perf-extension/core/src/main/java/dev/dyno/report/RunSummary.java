package dev.dyno.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dyno.assertions.Threshold.State;
import dev.dyno.assertions.Threshold.ThresholdResult;
import dev.dyno.metrics.DurationText;
import dev.dyno.view.SummaryRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * The run's summary: every perf test's verdict, the thresholds breached, and the suite-level tables
 * the tests contributed ({@link SummaryRow}s: A/B verdicts, changes against the history, each
 * capability's results). Collected by {@link RunSummary.Collector} as tests are reported, written at
 * the end of the run as Markdown to {@value #FILE_NAME} in the results directory and, when CI sets
 * {@code GITHUB_STEP_SUMMARY}, to the job's summary page.
 *
 * @since 0.2
 */
@API(status = INTERNAL, since = "0.2")
public record RunSummary(List<TestLine> tests, List<String> skipped) {

    public static final String FILE_NAME = "summary.md";

    /** One reported test. */
    public record TestLine(String name, String status, Duration duration, String failure,
            List<ThresholdResult> thresholds, List<SummaryRow> rows) {

        public TestLine {
            thresholds = List.copyOf(thresholds);
            rows = List.copyOf(rows);
        }

        List<ThresholdResult> breached() {
            return thresholds.stream().filter(t -> t.state() != State.PASSED).toList();
        }
    }

    public RunSummary {
        tests = tests.stream().sorted(Comparator.comparing(TestLine::name)).toList();
        skipped = List.copyOf(skipped);
    }

    /**
     * Where else the run summary goes, found with {@link java.util.ServiceLoader}: the Allure module
     * puts it into the report as a page of its own.
     */
    public interface Sink {
        void write(RunSummary summary);
    }

    /** Adds each reported test to the run's summary; runs after the reporters that add rows. */
    public static final class Collector implements Reporter {

        /** Each reported test's line, by its unique id. */
        private static final List<Map.Entry<String, TestLine>> LINES = new CopyOnWriteArrayList<>();

        @Override
        public void report(TestReport report) {
            TestOutcome o = report.outcome();
            LINES.add(Map.entry(o.testId(), new TestLine(o.nameWithInvocation(), o.status(), o.duration(), o.failure(),
                    o.thresholds(), report.summaries())));
        }

        @Override
        public int order() {
            return 900;
        }

        /**
         * What was collected since the last drain, and forgets it: one summary per test run. Only
         * the tests {@code ofThisRun} accepts by unique id are returned: a capability's own tests
         * run fixture classes on an engine of their own (EngineTestKit) in the same JVM, and those
         * fixtures are not tests of the run being summarised.
         */
        public static List<TestLine> drain(Predicate<String> ofThisRun) {
            List<Map.Entry<String, TestLine>> drained = List.copyOf(LINES);
            LINES.removeAll(drained);
            return drained.stream().filter(e -> ofThisRun.test(e.getKey())).map(Map.Entry::getValue).toList();
        }
    }

    /** The suite-level tables: rows by section, in the order sections first appeared. */
    public Map<String, List<Map<String, String>>> sections() {
        Map<String, List<Map<String, String>>> sections = new LinkedHashMap<>();
        for (TestLine test : tests) {
            for (SummaryRow row : test.rows()) {
                Map<String, String> cells = new LinkedHashMap<>();
                cells.put("test", test.name());
                cells.putAll(row.cells());
                sections.computeIfAbsent(row.section(), s -> new ArrayList<>()).add(cells);
            }
        }
        return sections;
    }

    /** The headline: {@code 12 perf tests: 10 passed, 1 failed, 1 skipped}. */
    public String headline() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String status : List.of("passed", "failed", "broken", "skipped")) {
            long n = tests.stream().filter(t -> t.status().equals(status)).count();
            if (n > 0) {
                counts.put(status, n);
            }
        }
        StringBuilder text = new StringBuilder().append(tests.size()).append(tests.size() == 1 ? " perf test" : " perf tests");
        if (!counts.isEmpty()) {
            text.append(": ");
            counts.forEach((status, n) -> text.append(n).append(' ').append(status).append(", "));
            text.setLength(text.length() - 2);
        }
        return text.toString();
    }

    /** The summary as GitHub-flavoured Markdown. */
    public String markdown() {
        StringBuilder md = new StringBuilder("## Dyno: ").append(headline()).append("\n\n");
        if (tests.isEmpty()) {
            return md.toString();
        }
        md.append("| | test | duration | result |\n|---|---|---|---|\n");
        for (TestLine t : tests) {
            md.append("| ").append(icon(t.status())).append(" | ").append(cell(t.name())).append(" | ")
                    .append(DurationText.format(t.duration())).append(" | ").append(cell(result(t))).append(" |\n");
        }
        List<TestLine> breaching = tests.stream().filter(t -> !t.breached().isEmpty()).toList();
        if (!breaching.isEmpty()) {
            md.append("\n### Thresholds breached\n\n");
            for (TestLine t : breaching) {
                t.breached().forEach(r -> md.append("- **").append(t.name()).append("**: `").append(r.line())
                        .append("`\n"));
            }
        }
        sections().forEach((section, rows) -> {
            md.append("\n### ").append(section).append("\n\n");
            Set<String> columns = new LinkedHashSet<>();
            rows.forEach(r -> columns.addAll(r.keySet()));
            md.append("| ").append(String.join(" | ", columns)).append(" |\n|");
            columns.forEach(c -> md.append("---|"));
            md.append('\n');
            for (Map<String, String> row : rows) {
                md.append("| ");
                columns.forEach(c -> md.append(cell(row.getOrDefault(c, ""))).append(" | "));
                md.setLength(md.length() - 1);
                md.append('\n');
            }
        });
        if (!skipped.isEmpty()) {
            md.append("\n### Skipped\n\n");
            skipped.forEach(s -> md.append("- ").append(s).append('\n'));
        }
        return md.toString();
    }

    /** Writes {@value #FILE_NAME} to {@code directory}, and appends to {@code stepSummary} when given. */
    public Path write(Path directory, Path stepSummary) {
        String markdown = markdown();
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(FILE_NAME);
            Files.writeString(file, markdown, StandardCharsets.UTF_8);
            if (stepSummary != null) {
                Files.writeString(stepSummary, markdown + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the run summary to " + directory, e);
        }
    }

    private static String result(TestLine t) {
        long passed = t.thresholds().stream().filter(r -> r.state() == State.PASSED).count();
        String thresholds = t.thresholds().isEmpty() ? "" : t.breached().isEmpty()
                ? passed + (passed == 1 ? " threshold" : " thresholds") + " passed"
                : t.breached().size() + " of " + t.thresholds().size() + " thresholds breached";
        if (t.status().equals("passed") || t.failure() == null) {
            return thresholds.isEmpty() ? t.status() : thresholds;
        }
        String failure = t.failure().lines().findFirst().orElse("");
        failure = failure.length() > 120 ? failure.substring(0, 117) + "…" : failure;
        return thresholds.isEmpty() || !t.breached().isEmpty() && failure.contains("thresholds breached")
                ? (thresholds.isEmpty() ? failure : thresholds) : thresholds + "; " + failure;
    }

    public static String icon(String status) {
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "passed" -> "✅";
            case "failed" -> "❌";
            case "skipped" -> "⏭️";
            default -> "⚠️";
        };
    }

    /** A Markdown table cell: pipes escaped, one line. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
