package dev.dyno.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dyno.assertions.Threshold.ThresholdResult;
import dev.dyno.metrics.DistributionSnapshot;
import dev.dyno.metrics.Gauge.GaugeSnapshot;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Phase.PhaseRecord;
import dev.dyno.metrics.ReportTable;
import dev.dyno.metrics.TimeSeriesSnapshot;
import dev.dyno.metrics.TimerSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The machine-readable result of one perf test, schema {@value #SCHEMA}: what CI tooling and the
 * results history read. The README documents every field.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ResultsFile {

    /**
     * The schema name and version written into every file. Version 2 writes every time as whole
     * nanoseconds (timers with {@code "unit": "ns"}, fields ending in {@code Nanos}), where version 1
     * wrote milliseconds with three decimals and so turned a 170 ns p99 into 0.0.
     */
    public static final String SCHEMA = "dyno-result/2";

    static final double[] PERCENTILES = {50, 90, 95, 99, 99.9};

    /** The percentiles every timer reports, in order. */
    public static double[] percentiles() {
        return PERCENTILES.clone();
    }
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsFile() {
    }

    /** The JSON tree of an outcome. */
    public static ObjectNode toJson(TestOutcome outcome, Map<String, String> environment) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("testId", outcome.testId());
        root.put("class", outcome.className());
        root.put("method", outcome.methodName());
        root.put("displayName", outcome.displayName());
        root.put("status", outcome.status());
        root.put("failure", outcome.failure());
        root.put("startedAt", outcome.startedAt().toString());
        root.put("durationNanos", outcome.duration().toNanos());
        ObjectNode parameters = root.putObject("parameters");
        outcome.metrics().attributes().forEach(parameters::put);
        ArrayNode thresholds = root.putArray("thresholds");
        for (ThresholdResult result : outcome.thresholds()) {
            ObjectNode threshold = thresholds.addObject()
                    .put("expression", result.threshold().expression())
                    .put("passed", result.passed())
                    .put("state", result.state().name().toLowerCase(java.util.Locale.ROOT));
            if (Double.isNaN(result.actual())) {
                // No value to show (none recorded, or the threshold could not be judged): say why instead.
                threshold.putNull("actual").putNull("actualValue").put("reason", result.actualText());
            } else {
                threshold.put("actual", result.actualText()).put("actualValue", result.actual());
            }
        }
        root.set("metrics", metricsJson(outcome.metrics()));
        ArrayNode tables = root.putArray("tables");
        for (ReportTable table : outcome.metrics().tables()) {
            ObjectNode t = tables.addObject().put("title", table.title());
            table.columns().forEach(t.putArray("columns")::add);
            ArrayNode rows = t.putArray("rows");
            table.rows().forEach(row -> row.forEach(rows.addArray()::add));
        }
        ObjectNode env = root.putObject("environment");
        environment.forEach(env::put);
        return root;
    }

    static ObjectNode metricsJson(MetricsSnapshot metrics) {
        ObjectNode node = MAPPER.createObjectNode();
        ObjectNode timers = node.putObject("timers");
        metrics.timers().forEach((name, timer) -> timers.set(name, timerJson(timer)));
        ObjectNode counters = node.putObject("counters");
        metrics.counters().forEach(counters::put);
        ObjectNode gauges = node.putObject("gauges");
        for (GaugeSnapshot gauge : metrics.gauges().values()) {
            gauges.putObject(gauge.name()).put("value", gauge.value()).put("min", gauge.min()).put("max", gauge.max());
        }
        ObjectNode series = node.putObject("series");
        for (TimeSeriesSnapshot s : metrics.series().values()) {
            ObjectNode one = series.putObject(s.name()).put("points", s.size()).put("recorded", s.recorded());
            if (s.size() > 0) {
                var stats = s.statistics();
                one.put("min", stats.getMin()).put("max", stats.getMax()).put("mean", stats.getAverage())
                        .put("last", s.last());
            }
        }
        ObjectNode distributions = node.putObject("distributions");
        for (DistributionSnapshot d : metrics.distributions().values()) {
            ObjectNode one = distributions.putObject(d.name())
                    .put("total", d.total())
                    .put("keys", d.keysUsed())
                    .put("spread", d.maxDeviationFromMean());
            ObjectNode counts = one.putObject("counts");
            d.counts().forEach(counts::put);
        }
        ArrayNode phases = node.putArray("phases");
        for (PhaseRecord phase : metrics.phases()) {
            phases.addObject()
                    .put("path", phase.path())
                    .put("startOffsetNanos", phase.startOffsetNanos())
                    .put("durationNanos", phase.durationNanos())
                    .put("thread", phase.thread())
                    .put("failed", phase.failed());
        }
        return node;
    }

    private static ObjectNode timerJson(TimerSnapshot timer) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("unit", "ns");
        node.put("count", timer.count());
        node.put("mean", timer.mean().toNanos());
        node.put("min", timer.min().toNanos());
        for (double p : PERCENTILES) {
            node.put(percentileKey(p), timer.percentile(p).toNanos());
        }
        node.put("max", timer.max().toNanos());
        node.put("stddev", timer.stdDeviation().toNanos());
        if (timer.clamped() > 0) {
            node.put("clamped", timer.clamped());
        }
        return node;
    }

    /** {@code p50}, {@code p99}, {@code p99.9}: the keys used in JSON and CSV. */
    public static String percentileKey(double p) {
        return p == Math.rint(p) ? "p" + (long) p : String.format(Locale.ROOT, "p%s", p);
    }

    /** Writes the file and returns its path. */
    public static Path write(TestOutcome outcome, Map<String, String> environment, Path directory) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(fileName(outcome));
            Files.writeString(file, MAPPER.writeValueAsString(toJson(outcome, environment)), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the results of " + outcome.shortName() + " to " + directory, e);
        }
    }

    /** Readable and unique: {@link #baseName} plus {@code .json}. */
    static String fileName(TestOutcome outcome) {
        return baseName(outcome.className(), outcome.methodName(), outcome.testId()) + ".json";
    }

    /**
     * The name of a test's files without extension, readable and unique: {@code Class.method}, the
     * invocation numbers of a template (so {@code SortScaling.sorts-2-…} is the second size), and the
     * hash of the unique id, which tells apart methods of the same name in nested classes or with other
     * parameter types. The results history names its folders the same way.
     */
    public static String baseName(String className, String methodName, String testId) {
        StringBuilder name = new StringBuilder(className.substring(className.lastIndexOf('.') + 1))
                .append('.').append(methodName);
        TestOutcome.invocations(testId).forEach(i -> name.append('-').append(i));
        return name.toString().replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + String.format("%08x", testId.hashCode());
    }

    public static String json(Object tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
