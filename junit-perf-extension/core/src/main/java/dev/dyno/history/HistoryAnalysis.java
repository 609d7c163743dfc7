package dev.dyno.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.history.ChangeDetector;
import dev.dyno.metrics.DurationText;
import dev.dyno.stats.MetricComparison;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * A test's current run against its history: a trend per key metric, the changes found, and the
 * environment differences that make the comparison less fair.
 *
 * @param directory the folder of this test's history
 * @param runs how many runs the analysis read, the current one included
 * @param trends one per key metric, changed ones first
 * @param environmentWarnings a sentence for each fingerprint value that differs from earlier runs
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record HistoryAnalysis(String test, Path directory, int runs, List<MetricTrend> trends,
        List<String> environmentWarnings) {

    public HistoryAnalysis {
        trends = List.copyOf(trends);
        environmentWarnings = List.copyOf(environmentWarnings);
    }

    /**
     * One key metric over the runs, oldest first.
     *
     * @param metric such as {@code "schedule.total p95"} or {@code "locks.acquired"}
     * @param milliseconds whether the values are times in milliseconds
     * @param labels per run: its number, commit and time
     * @param change the change at the end of the series, or null
     */
    public record MetricTrend(String metric, boolean milliseconds, List<Double> values, List<String> labels,
            ChangeDetector.Change change) {

        public MetricTrend {
            values = List.copyOf(values);
            labels = List.copyOf(labels);
        }

        public String format(double value) {
            return milliseconds ? DurationText.formatNanos(value * 1e6) : String.format(Locale.ROOT, "%.4g", value);
        }
    }

    /** The trends with a change. */
    public List<MetricTrend> changes() {
        return trends.stream().filter(t -> t.change() != null).toList();
    }

    /** The trends with a regression. */
    public List<MetricTrend> regressions() {
        return trends.stream()
                .filter(t -> t.change() != null && t.change().kind() == ChangeDetector.Kind.REGRESSION)
                .toList();
    }

    /** The lines printed to the console and attached to the report. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("History (").append(runs).append(runs == 1 ? " run" : " runs").append(", ").append(directory)
                .append("):\n");
        if (runs <= ChangeDetector.MIN_HISTORY) {
            out.append("  changes are judged from run ").append(ChangeDetector.MIN_HISTORY + 1).append(" on\n");
        }
        for (MetricTrend t : changes()) {
            ChangeDetector.Change c = t.change();
            String mark = switch (c.kind()) {
                case REGRESSION -> "✗ regression ";
                case IMPROVEMENT -> "✓ improvement";
                case SHIFT -> "~ change     ";
            };
            String when = c.runs() == 1 ? "in this run" : "over the last " + c.runs() + " runs, since " + c.since();
            String p = Double.isNaN(c.pValue()) ? "an outlier beyond " + (int) ChangeDetector.OUTLIER_SPREADS
                    + " robust SDs" : MetricComparison.pClause(c.pValue());
            out.append(String.format(Locale.ROOT, "  %s %s %+.1f %% (%s → %s) %s (%s)%n", mark, t.metric(),
                    c.relativeChange() * 100, t.format(c.before()), t.format(c.after()), when, p));
        }
        environmentWarnings.forEach(w -> out.append("  ! ").append(w).append('\n'));
        int unchanged = trends.size() - changes().size();
        if (runs > ChangeDetector.MIN_HISTORY) {
            out.append("  ").append(unchanged).append(changes().isEmpty() ? " metrics" : " other metrics")
                    .append(" without a change\n");
        }
        return out.toString();
    }
}
