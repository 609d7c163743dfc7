package dev.dyno;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.TimerSnapshot;
import dev.dyno.report.ResultsFile;
import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * The points of one {@link GrowthCurve} template: a size and the timer's p50 and p99 per measured
 * invocation. Closed by JUnit after the template's last invocation: it then writes the curve next to
 * the results files and checks the slope, throwing to fail the template.
 */
final class GrowthCurvePoints implements AutoCloseable {

    /** The schema of the JSON file. */
    static final String SCHEMA = "dyno-growth/1";

    record Point(String invocation, double size, long count, long p50Nanos, long p99Nanos) {
    }

    record NotMeasured(String invocation, String reason) {
    }

    private final GrowthCurve annotation;
    private final String className;
    private final String methodName;
    private final String templateId;
    private final DynoConfiguration configuration;
    private final List<Point> points = new ArrayList<>();
    private final List<NotMeasured> notMeasured = new ArrayList<>();

    GrowthCurvePoints(GrowthCurve annotation, String className, String methodName, String templateId,
            DynoConfiguration configuration) {
        this.annotation = annotation;
        this.className = className;
        this.methodName = methodName;
        this.templateId = templateId;
        this.configuration = configuration;
    }

    GrowthCurve annotation() {
        return annotation;
    }

    synchronized void add(String invocation, double size, TimerSnapshot timer) {
        points.add(new Point(invocation, size, timer.count(), timer.median().toNanos(),
                timer.percentile(99).toNanos()));
    }

    synchronized void notMeasured(String invocation, String reason) {
        notMeasured.add(new NotMeasured(invocation, reason));
    }

    /** The points so far, smallest size first. */
    synchronized List<Point> points() {
        return points.stream().sorted(Comparator.comparingDouble(Point::size)).toList();
    }

    /** How many distinct sizes were measured. */
    synchronized int sizes() {
        return (int) points.stream().mapToDouble(Point::size).distinct().count();
    }

    String title() {
        return annotation.metric() + " against " + annotation.size();
    }

    /**
     * The least-squares slope of {@code ln(p50)} against {@code ln(size)}, or NaN with fewer than two
     * sizes. A p50 of 0 ns (below the clock's resolution) counts as 1 ns, so the logarithm exists.
     */
    static double slope(List<Point> points) {
        int n = points.size();
        double meanX = points.stream().mapToDouble(p -> Math.log(p.size())).average().orElse(Double.NaN);
        double meanY = points.stream().mapToDouble(p -> Math.log(Math.max(1, p.p50Nanos()))).average()
                .orElse(Double.NaN);
        double sxy = 0;
        double sxx = 0;
        for (Point p : points) {
            double dx = Math.log(p.size()) - meanX;
            sxy += dx * (Math.log(Math.max(1, p.p50Nanos())) - meanY);
            sxx += dx * dx;
        }
        return n < 2 || sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /** p50 and p99 against the size on log-log axes, with the fitted line through the p50s. */
    Chart chart() {
        List<Point> sorted = points();
        double slope = slope(sorted);
        double[] x = sorted.stream().mapToDouble(Point::size).toArray();
        boolean micros = sorted.stream().mapToLong(Point::p99Nanos).max().orElse(0) < 1_000_000;
        double unit = micros ? 1e3 : 1e6;
        double[] p50 = sorted.stream().mapToDouble(p -> p.p50Nanos() / unit).toArray();
        double[] p99 = sorted.stream().mapToDouble(p -> p.p99Nanos() / unit).toArray();
        // The fitted line passes through the mean of the logarithms, as least squares does.
        double meanX = sorted.stream().mapToDouble(p -> Math.log(p.size())).average().orElse(0);
        double meanY = sorted.stream().mapToDouble(p -> Math.log(Math.max(1, p.p50Nanos()) / unit)).average().orElse(0);
        double[] fit = sorted.stream().mapToDouble(p -> Math.exp(meanY + slope * (Math.log(p.size()) - meanX)))
                .toArray();
        return Chart.xy(title() + " (log-log), slope " + slopeText(slope))
                .x(Axis.log(annotation.size(), ""))
                .y(Axis.log(annotation.metric(), micros ? "µs" : "ms"))
                .points("p50", x, p50)
                .points("p99", x, p99)
                .line("fit through p50, slope " + slopeText(slope), x, fit)
                .build();
    }

    String csv() {
        return "size,invocation,count,p50_ns,p99_ns\n" + points().stream()
                .map(p -> String.format(Locale.ROOT, "%s,\"%s\",%d,%d,%d", format(p.size()),
                        p.invocation().replace("\"", "\"\""), p.count(), p.p50Nanos(), p.p99Nanos()))
                .collect(Collectors.joining("\n")) + "\n";
    }

    synchronized ObjectNode json(double slope, String status) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schema", SCHEMA);
        root.put("testId", templateId);
        root.put("class", className);
        root.put("method", methodName);
        root.put("metric", annotation.metric());
        root.put("size", annotation.size());
        root.put("statistic", "p50");
        putFinite(root, "slope", slope);
        putFinite(root, "minSlope", annotation.minSlope());
        putFinite(root, "maxSlope", annotation.maxSlope());
        root.put("status", status);
        ArrayNode array = root.putArray("points");
        for (Point p : points()) {
            array.addObject().put("invocation", p.invocation()).put("size", p.size()).put("count", p.count())
                    .put("p50Nanos", p.p50Nanos()).put("p99Nanos", p.p99Nanos());
        }
        ArrayNode missing = root.putArray("notMeasured");
        notMeasured.forEach(m -> missing.addObject().put("invocation", m.invocation()).put("reason", m.reason()));
        return root;
    }

    private static void putFinite(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name); // JSON has no infinity: null is "unbounded", or no slope
        }
    }

    /** After the last invocation: writes the curve, prints it, and fails the template when the slope is out of bounds. */
    @Override
    public void close() throws IOException {
        List<Point> sorted = points();
        double slope = slope(sorted);
        String verdict = verdict(sorted, slope);
        String status = verdict == null ? (Double.isNaN(slope) ? "incomplete" : "passed") : "failed";
        Path directory = configuration.resultsDirectory().resolve("growth");
        Files.createDirectories(directory);
        String base = ResultsFile.baseName(className, methodName, templateId);
        Path json = directory.resolve(base + ".json");
        Files.writeString(json, ResultsFile.json(json(slope, status)), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve(base + ".csv"), csv(), StandardCharsets.UTF_8);
        System.out.print(summary(sorted, slope, status) + "Growth: " + json + "\n");
        if (verdict != null) {
            throw new AssertionFailedError(verdict + "\n" + table(sorted));
        }
    }

    /** Why the curve fails, or null when it holds (or failed invocations already said why it is short). */
    private synchronized String verdict(List<Point> sorted, double slope) {
        if (Double.isNaN(slope)) {
            return notMeasured.isEmpty() ? "@GrowthCurve needs at least two sizes, but " + methodName
                    + " measured " + sizes() + ": give the @ParameterizedTest sizes spanning at least one order of "
                    + "magnitude" : null;
        }
        String growth = annotation.metric() + " p50 grows with " + annotation.size() + " at slope " + slopeText(slope)
                + " on log-log (least squares over " + sorted.size() + " sizes, " + format(sorted.get(0).size())
                + " to " + format(sorted.get(sorted.size() - 1).size()) + ")";
        if (slope > annotation.maxSlope()) {
            return growth + ", above @GrowthCurve(maxSlope) " + slopeText(annotation.maxSlope());
        }
        if (slope < annotation.minSlope()) {
            return growth + ", below @GrowthCurve(minSlope) " + slopeText(annotation.minSlope());
        }
        return null;
    }

    private String summary(List<Point> sorted, double slope, String status) {
        boolean min = Double.isFinite(annotation.minSlope());
        boolean max = Double.isFinite(annotation.maxSlope());
        String bounds = min && max ? " (allowed " + slopeText(annotation.minSlope()) + " to "
                + slopeText(annotation.maxSlope()) + ")" : min ? " (allowed at least " + slopeText(annotation.minSlope())
                + ")" : max ? " (allowed at most " + slopeText(annotation.maxSlope()) + ")" : "";
        return String.format(Locale.ROOT, "%n=== Dyno: %s growth of %s with %s — %s, slope %s%s ===%n%s",
                className.substring(className.lastIndexOf('.') + 1) + "." + methodName, annotation.metric(),
                annotation.size(), status.toUpperCase(Locale.ROOT), slopeText(slope), bounds, table(sorted));
    }

    private String table(List<Point> sorted) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "  %14s %8s %10s %10s  %s%n",
                annotation.size(), "count", "p50", "p99", "invocation"));
        for (Point p : sorted) {
            out.append(String.format(Locale.ROOT, "  %14s %8d %10s %10s  %s%n", format(p.size()), p.count(),
                    DurationText.formatNanos(p.p50Nanos()), DurationText.formatNanos(p.p99Nanos()), p.invocation()));
        }
        synchronized (this) {
            notMeasured.forEach(m -> out.append("  not measured: ").append(m.invocation()).append(" (")
                    .append(m.reason()).append(")\n"));
        }
        return out.toString();
    }

    /** A size as people write it: {@code 10000}, or {@code 0.5} when it is not whole. */
    static String format(double size) {
        return size == Math.rint(size) && Math.abs(size) < 1e15 ? Long.toString((long) size)
                : String.format(Locale.ROOT, "%.3g", size);
    }

    /** A slope or bound with two decimals: {@code 1.12}, {@code none} (no slope yet), {@code ∞} (unbounded). */
    static String slopeText(double slope) {
        if (Double.isNaN(slope)) {
            return "none";
        }
        if (Double.isInfinite(slope)) {
            return slope > 0 ? "∞" : "-∞";
        }
        return String.format(Locale.ROOT, "%.2f", slope);
    }
}
