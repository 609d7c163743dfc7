package dev.dyno.stats;

import dev.dyno.metrics.Recorder;
import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import dev.dyno.view.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Puts a comparison into a test's recorder and Allure entry: samples, a table, a chart. */
final class ComparisonReport {

    static final List<String> COLUMNS = List.of("metric", "statistic", "baseline", "variant", "change",
            "interval", "p", "n", "min. detectable", "verdict");

    private ComparisonReport() {
    }

    static void record(ComparisonResult result, List<Measurement> baselines, List<Measurement> variants,
            Recorder recorder, String prefix) {
        boolean single = result.metrics().size() == 1;
        for (MetricComparison metric : result.metrics().values()) {
            String suffix = single ? "" : "." + metric.metric();
            samples(recorder, prefix + ".baseline" + suffix, metric, baselines);
            samples(recorder, prefix + ".variant" + suffix, metric, variants);
        }
        recorder.attribute(prefix + ".verdict", result.verdict().name());
        recorder.table(prefix + ": " + result.baselineName() + " vs " + result.variantName(), COLUMNS,
                result.metrics().values().stream().map(ComparisonReport::row).toList());
        if (result.noise() != null && !result.noise().warnings().isEmpty()) {
            recorder.table(prefix + ": noise", List.of("warning"),
                    result.noise().warnings().stream().map(List::of).toList());
        }
        recorder.chart(chart(result, prefix + ": samples in run order"));
        for (MetricComparison metric : result.metrics().values()) {
            List<String> row = row(metric);
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("comparison", prefix + ": " + result.baselineName() + " vs " + result.variantName());
            for (int i = 0; i < COLUMNS.size(); i++) {
                cells.put(COLUMNS.get(i), row.get(i));
            }
            recorder.summary("A/B comparisons", cells);
        }
    }

    private static void samples(Recorder recorder, String name, MetricComparison metric, List<Measurement> side) {
        for (Measurement m : side) {
            double value = m.values().get(metric.metric());
            if (metric.duration()) {
                recorder.timer(name).recordNanos(Math.round(value));
            } else {
                recorder.series(name).record(value);
            }
        }
    }

    static List<String> row(MetricComparison m) {
        Estimate change = m.relativeChange();
        return List.of(m.metric(), m.statistic().name(), m.format(m.baseline().statistic()),
                m.format(m.variant().statistic()), signedPercent(change.point()),
                signedPercent(change.lower()) + " … " + signedPercent(change.upper()),
                MetricComparison.pText(m.pValue()), m.baseline().count() + "+" + m.variant().count(),
                Estimate.percent(m.minimumDetectableEffect()), m.verdict().name());
    }

    private static String signedPercent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f %%", fraction * 100);
    }

    /** Every sample against its round, one series per side, and each side's statistic as a line. */
    static Chart chart(ComparisonResult result, String title) {
        MetricComparison m = result.primary();
        double scale = m.duration() ? 1e6 : 1;
        Chart.Builder chart = Chart.xy(title + " — " + result.baselineName() + " vs " + result.variantName() + ": "
                        + m.summary().split(" \\(")[0])
                .x(Axis.linear("round"))
                .y(Axis.linear(m.metric(), m.duration() ? "ms" : ""));
        for (SampleSummary side : List.of(m.baseline(), m.variant())) {
            double[] x = new double[side.count()];
            double[] y = new double[side.count()];
            for (int i = 0; i < side.count(); i++) {
                x[i] = i + 1.0;
                y[i] = side.samples().get(i) / scale;
            }
            chart.series(Series.points(side.name(), x, y).inGroup(side.name()));
            chart.series(Series.line(side.name() + " " + m.statistic().name(), new double[] {1.0, side.count()},
                    new double[] {side.statistic() / scale, side.statistic() / scale}).inGroup(side.name()));
        }
        return chart.build();
    }
}
