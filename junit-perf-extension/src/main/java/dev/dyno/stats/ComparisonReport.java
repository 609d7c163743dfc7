package dev.dyno.stats;

import dev.dyno.metrics.Recorder;
import dev.dyno.report.Charts;
import dev.dyno.report.PerfReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

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
        try {
            PerfReport.attach(prefix + ": samples in run order", "image/png", ".png", Charts.png(chart(result)));
        } catch (RuntimeException | LinkageError e) {
            System.err.println("[dyno] could not draw the chart of comparison " + prefix + ": " + e);
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
    static XYChart chart(ComparisonResult result) {
        MetricComparison m = result.primary();
        double scale = m.duration() ? 1e6 : 1;
        XYChart chart = new XYChartBuilder().width(900).height(420)
                .title(result.baselineName() + " vs " + result.variantName() + ": " + m.summary().split(" \\(")[0])
                .xAxisTitle("round").yAxisTitle(m.metric() + (m.duration() ? " (ms)" : "")).build();
        chart.getStyler().setMarkerSize(7);
        for (SampleSummary side : List.of(m.baseline(), m.variant())) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < side.count(); i++) {
                x.add(i + 1.0);
                y.add(side.samples().get(i) / scale);
            }
            XYSeries points = chart.addSeries(side.name(), x, y);
            points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            XYSeries level = chart.addSeries(side.name() + " " + m.statistic().name(), List.of(1.0, (double) side.count()),
                    List.of(side.statistic() / scale, side.statistic() / scale));
            level.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
