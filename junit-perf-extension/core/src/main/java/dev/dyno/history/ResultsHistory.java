package dev.dyno.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.history.ChangeDetector;
import dev.dyno.report.ResultsFile;
import dev.dyno.report.TestReport;
import dev.dyno.stats.NoiseRecord;
import dev.dyno.view.Attachment;
import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import dev.dyno.view.Marker;
import dev.dyno.view.SummaryRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The results history: every perf test's results file, with the git commit and a timestamp, kept
 * in a directory of JSON files, one folder per test; each new run is compared with the runs before
 * it metric by metric ({@link ChangeDetector}), and the changes are printed to the console and
 * attached to the Allure report with a trend chart per key metric.
 *
 * <pre>
 * target/dyno-history/
 *   SchedulerPerformanceTest.schedules100ContainersOn20Workers-1a2b3c4d/
 *     20261123T140128123Z-a1b2c3d.json     (the results file plus "recordedAt" and "gitCommit")
 * </pre>
 *
 * <h2>Configuration</h2>
 * The configuration parameter {@value #DIRECTORY_PROPERTY} (a system property, a
 * {@code junit-platform.properties} key or a launcher parameter; see {@link DynoConfiguration}) names
 * the directory, default {@value #DEFAULT_DIRECTORY}; {@code off} turns the history off. Keep the
 * directory in a CI cache, or point it at a folder in the repository and commit it, for the history
 * to outlive {@code target/}. {@value #MIN_CHANGE_PROPERTY} is the smallest relative change
 * reported (default 0.05). Each test keeps its latest {@value #RUNS_KEPT} runs.
 *
 * <p>Key metrics: the p50, p95 and mean of every timer (milliseconds; higher is a regression) and
 * every counter (a change either way is reported as a shift).
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ResultsHistory {

    /** Configuration key of the history directory; {@link DynoConfiguration#HISTORY_DIR_PROPERTY}. */
    public static final String DIRECTORY_PROPERTY = DynoConfiguration.HISTORY_DIR_PROPERTY;
    /** Where the history goes unless configured. */
    public static final String DEFAULT_DIRECTORY = DynoConfiguration.DEFAULT_HISTORY_DIR;
    /** Configuration key of the smallest relative change reported, a fraction. */
    public static final String MIN_CHANGE_PROPERTY = DynoConfiguration.HISTORY_MIN_CHANGE_PROPERTY;
    /** Runs kept per test; older ones are deleted. */
    public static final int RUNS_KEPT = 200;
    /** Runs read for the analysis and the trend charts. */
    static final int RUNS_READ = 50;
    static final int MAX_TREND_CHARTS = 6;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static volatile String gitCommit;

    private final Path directory;
    private final double minChange;
    private final Supplier<String> commit;
    private final Clock clock;

    ResultsHistory(Path directory, double minChange, Supplier<String> commit, Clock clock) {
        this.directory = directory;
        this.minChange = minChange;
        this.commit = commit;
        this.clock = clock;
    }

    /** The history in a directory, with the default minimum change, this checkout's commit and the system clock. */
    public static ResultsHistory at(Path directory) {
        return new ResultsHistory(directory, DynoConfiguration.DEFAULT_HISTORY_MIN_CHANGE, ResultsHistory::currentCommit,
                Clock.systemUTC());
    }

    /**
     * Appends a finished test to the history {@code configuration} names, prints what changed and
     * attaches it to Allure. Never throws: a history that cannot be written is a warning on stderr.
     * This is what {@link HistoryReporter} calls.
     */
    public static void record(TestReport report) {
        DynoConfiguration configuration = report.configuration();
        if (configuration.historyDirectory().isEmpty()) {
            return;
        }
        try {
            HistoryAnalysis analysis = new ResultsHistory(configuration.historyDirectory().get(),
                    configuration.historyMinChange(), ResultsHistory::currentCommit, Clock.systemUTC())
                    .append(ResultsFile.toJson(report.outcome(), report.environment()));
            System.out.print(analysis.text());
            report(analysis, report);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("[dyno] could not update the results history: " + e);
        }
    }

    /**
     * Adds one results file's JSON to the history and compares it with the runs before it.
     *
     * @param result a results-file tree, as {@link ResultsFile#toJson} makes it
     */
    public HistoryAnalysis append(ObjectNode result) {
        ObjectNode run = result.deepCopy();
        Instant now = clock.instant();
        String sha = commit.get();
        run.put("recordedAt", now.toString());
        run.put("gitCommit", sha);
        Path folder = directory.resolve(folderName(run));
        try {
            Files.createDirectories(folder);
            String base = FILE_TIME.format(now) + "-" + (sha == null ? "nocommit" : sha.substring(0, Math.min(7, sha.length())));
            Path file = folder.resolve(base + ".json");
            for (int i = 2; Files.exists(file); i++) {
                file = folder.resolve(base + "-" + i + ".json");
            }
            Files.writeString(file, MAPPER.writeValueAsString(run), StandardCharsets.UTF_8);
            List<Path> files = files(folder);
            for (int i = 0; i < files.size() - RUNS_KEPT; i++) {
                Files.deleteIfExists(files.get(i));
            }
            List<Path> recent = files(folder);
            List<JsonNode> runs = new ArrayList<>();
            for (Path p : recent.subList(Math.max(0, recent.size() - RUNS_READ), recent.size())) {
                try {
                    runs.add(MAPPER.readTree(p.toFile()));
                } catch (IOException e) {
                    System.err.println("[dyno] skipping unreadable history file " + p + ": " + e.getMessage());
                }
            }
            return analyze(run.path("class").asText() + "." + run.path("method").asText(), folder, runs, minChange);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the results history in " + folder, e);
        }
    }

    /** Compares the last run (the current one) of a test's runs, oldest first, with the ones before it. */
    static HistoryAnalysis analyze(String test, Path folder, List<JsonNode> runs, double minChange) {
        JsonNode current = runs.get(runs.size() - 1);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            JsonNode r = runs.get(i);
            String sha = r.path("gitCommit").asText("");
            labels.add("run " + (i + 1) + (sha.isEmpty() || sha.equals("null") ? "" : " " + sha.substring(0, Math.min(7, sha.length())))
                    + " " + r.path("recordedAt").asText("").replaceFirst("\\.\\d+Z$", "Z"));
        }
        List<HistoryAnalysis.MetricTrend> trends = new ArrayList<>();
        current.path("metrics").path("timers").fieldNames().forEachRemaining(timer -> {
            for (String statistic : List.of("p50", "p95", "mean")) {
                trend(runs, labels, timer + " " + statistic, true, true, minChange,
                        r -> timerMillis(r, timer, statistic)).ifPresent(trends::add);
            }
        });
        current.path("metrics").path("counters").fieldNames().forEachRemaining(counter ->
                trend(runs, labels, counter, false, null, minChange,
                        r -> r.path("metrics").path("counters").path(counter)).ifPresent(trends::add));
        trends.sort(Comparator.comparing((HistoryAnalysis.MetricTrend t) -> t.change() == null));
        return new HistoryAnalysis(test, folder, runs.size(), trends, environmentWarnings(runs));
    }

    /**
     * A timer's statistic in milliseconds from a run of either schema: {@code dyno-result/1} wrote
     * milliseconds, {@code dyno-result/2} writes nanoseconds ({@code "unit": "ns"}), and one history
     * holds both after an upgrade.
     */
    static JsonNode timerMillis(JsonNode run, String timer, String statistic) {
        JsonNode node = run.path("metrics").path("timers").path(timer);
        JsonNode value = node.path(statistic);
        if (value.isNumber() && "ns".equals(node.path("unit").asText())) {
            return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(value.asDouble() / 1e6);
        }
        return value;
    }

    private static java.util.Optional<HistoryAnalysis.MetricTrend> trend(List<JsonNode> runs, List<String> allLabels,
            String metric, boolean millis, Boolean lowerIsBetter, double minChange,
            java.util.function.Function<JsonNode, JsonNode> value) {
        List<Double> values = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            JsonNode v = value.apply(runs.get(i));
            if (v.isNumber()) {
                values.add(v.asDouble());
                labels.add(allLabels.get(i));
            }
        }
        if (values.isEmpty()) {
            return java.util.Optional.empty();
        }
        ChangeDetector.Change change = ChangeDetector.detect(values.stream().mapToDouble(Double::doubleValue).toArray(),
                labels.toArray(String[]::new), minChange, lowerIsBetter);
        return java.util.Optional.of(new HistoryAnalysis.MetricTrend(metric, millis, values, labels, change));
    }

    /** A sentence for each comparability key on which earlier runs differ from the current one. */
    static List<String> environmentWarnings(List<JsonNode> runs) {
        JsonNode current = runs.get(runs.size() - 1).path("environment");
        List<JsonNode> earlier = runs.subList(Math.max(0, runs.size() - 1 - ChangeDetector.REFERENCE), runs.size() - 1);
        List<String> warnings = new ArrayList<>();
        for (String key : NoiseRecord.COMPARABILITY_KEYS) {
            String now = current.path(key).asText(null);
            List<String> others = earlier.stream().map(r -> r.path("environment").path(key).asText(null))
                    .filter(v -> !java.util.Objects.equals(v, now)).toList();
            if (!others.isEmpty()) {
                warnings.add(String.format(Locale.ROOT, "%s differs: %s now, %s in %d of %d earlier runs; "
                        + "compare with care", key, now, String.join(" / ", new java.util.TreeSet<>(others.stream()
                                .map(String::valueOf).toList())), others.size(), earlier.size()));
            }
        }
        return warnings;
    }

    /** Adds the analysis and a trend chart per key metric (changed ones first) to the report. */
    static void report(HistoryAnalysis analysis, TestReport report) {
        report.add(Attachment.text("history: changes", "text/plain", ".txt", analysis.text()));
        for (HistoryAnalysis.MetricTrend trend : analysis.changes()) {
            ChangeDetector.Change c = trend.change();
            java.util.Map<String, String> cells = new java.util.LinkedHashMap<>();
            cells.put("metric", trend.metric());
            cells.put("change", c.kind().name().toLowerCase(Locale.ROOT));
            cells.put("by", String.format(Locale.ROOT, "%+.1f %%", c.relativeChange() * 100));
            cells.put("before → after", trend.format(c.before()) + " → " + trend.format(c.after()));
            cells.put("since", c.runs() == 1 ? "this run" : c.since());
            report.add(new SummaryRow("Changes against the history", cells));
        }
        if (analysis.runs() < 2) {
            return;
        }
        analysis.trends().stream().limit(MAX_TREND_CHARTS).forEach(t -> report.add(trendChart(t)));
    }

    /** The metric over the runs; the runs of a change drawn apart, the reference level as a line. */
    static Chart trendChart(HistoryAnalysis.MetricTrend trend) {
        ChangeDetector.Change change = trend.change();
        int n = trend.values().size();
        int changed = change == null ? 0 : change.runs();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1.0;
            y[i] = trend.values().get(i);
        }
        Chart.Builder chart = Chart.xy("trend: " + trend.metric() + (change == null ? ""
                        : " — " + change.kind().name().toLowerCase(Locale.ROOT)
                        + String.format(Locale.ROOT, " %+.1f %%", change.relativeChange() * 100)))
                .x(Axis.linear("run"))
                .y(Axis.linear(trend.metric(), trend.milliseconds() ? "ms" : ""))
                .line("runs", x, y);
        if (change != null) {
            chart.points(change.kind().name().toLowerCase(Locale.ROOT), java.util.Arrays.copyOfRange(x, n - changed, n),
                            java.util.Arrays.copyOfRange(y, n - changed, n))
                    .marker(Marker.horizontal(change.before(), "reference median"));
        }
        return chart.build();
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Readable and unique per test: the results file's name without its extension. */
    static String folderName(JsonNode run) {
        return ResultsFile.baseName(run.path("class").asText("unknown"), run.path("method").asText("unknown"),
                run.path("testId").asText(""));
    }

    /** How long {@code git rev-parse} may take; a git waiting on a lock or a credential prompt must not hold the test. */
    static final java.time.Duration GIT_TIMEOUT = java.time.Duration.ofSeconds(5);

    /**
     * The commit {@code command} prints, or "" when it fails, prints something else, or does not
     * finish within {@code timeout}. Its output is read on another thread, so a command that never
     * closes its output cannot hold this one beyond the timeout.
     */
    static String commitFrom(List<String> command, java.time.Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return ""; // no git on this machine
        }
        try {
            process.getOutputStream().close();
            var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (InputStream in = process.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    return "";
                }
            });
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) || process.exitValue() != 0) {
                return "";
            }
            String out = output.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return out.matches("[0-9a-f]{7,64}") ? out : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return "";
        } finally {
            // The whole tree: a shell wrapper's child would otherwise keep the output pipe open.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** {@code git rev-parse HEAD}, else CI's commit variables, else null; asked once per JVM. */
    static String currentCommit() {
        String sha = gitCommit;
        if (sha == null) {
            sha = readCommit();
            gitCommit = sha;
        }
        return sha.isEmpty() ? null : sha;
    }

    private static String readCommit() {
        String sha = commitFrom(List.of("git", "rev-parse", "HEAD"), GIT_TIMEOUT);
        if (!sha.isEmpty()) {
            return sha;
        }
        for (String variable : List.of("GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return "";
    }
}
