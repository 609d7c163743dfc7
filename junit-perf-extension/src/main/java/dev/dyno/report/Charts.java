package dev.dyno.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DistributionSnapshot;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Phase.PhaseRecord;
import dev.dyno.metrics.TimeSeriesSnapshot;
import dev.dyno.metrics.TimerSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.HistogramIterationValue;
import org.apiguardian.api.API;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a test's metrics, drawn with XChart: the latency-by-percentile curve of each timer
 * (HdrHistogram's classic plot), each time series over time, each distribution as bars, and the
 * phases as bars of their durations.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Charts {

    static final int WIDTH = 900;
    static final int HEIGHT = 420;
    /** A test with dozens of metrics gets charts for the first ones only; the data is all in CSV. */
    static final int MAX_CHARTS_PER_KIND = 8;

    static {
        // Reports are drawn on CI machines without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** All charts for a snapshot, by title, as PNG bytes. */
    public static Map<String, byte[]> render(MetricsSnapshot metrics) {
        Map<String, byte[]> charts = new LinkedHashMap<>();
        metrics.timers().values().stream()
                .filter(t -> t.count() > 1 && !t.name().startsWith("phase."))
                .limit(MAX_CHARTS_PER_KIND)
                .forEach(t -> charts.put("latency by percentile: " + t.name(), png(percentileChart(t))));
        metrics.series().values().stream()
                .filter(s -> s.size() > 1)
                .limit(MAX_CHARTS_PER_KIND)
                .forEach(s -> charts.put("over time: " + s.name(), png(seriesChart(s))));
        metrics.distributions().values().stream()
                .filter(d -> !d.counts().isEmpty())
                .limit(MAX_CHARTS_PER_KIND)
                .forEach(d -> charts.put("distribution: " + d.name(), png(distributionChart(d))));
        if (!metrics.phases().isEmpty()) {
            charts.put("phases", png(phaseChart(metrics.phases())));
        }
        return charts;
    }

    /** Latency against percentile on a scale of nines, so the tail gets the room it deserves. */
    static XYChart percentileChart(TimerSnapshot timer) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (HistogramIterationValue v : timer.histogram().percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p >= 1.0) {
                break;
            }
            x.add(Math.log10(1 / (1 - p)));
            y.add(v.getValueIteratedTo() / 1e6);
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(timer.max().toNanos() / 1e6);
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(timer.name() + " (" + timer.count() + " values)")
                .xAxisTitle("percentile").yAxisTitle("latency (ms)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(0);
        // x is the number of nines: 0 → 0 %, 1 → 90 %, 2 → 99 %, 3 → 99.9 %; only those are labelled.
        chart.setCustomXAxisTickLabelsFormatter(v -> Math.abs(v - Math.rint(v)) < 1e-9
                ? trim(100 * (1 - Math.pow(10, -Math.rint(v)))) + "%" : "");
        XYSeries series = chart.addSeries(timer.name(), x, y);
        series.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    static XYChart seriesChart(TimeSeriesSnapshot series) {
        double[] seconds = new double[series.size()];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = series.offsetsNanos()[i] / 1e9;
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(series.name())
                .xAxisTitle("time since test start (s)").yAxisTitle(series.name()).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(3);
        chart.addSeries(series.name(), seconds, series.values());
        return chart;
    }

    static CategoryChart distributionChart(DistributionSnapshot distribution) {
        List<String> keys = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        distribution.counts().entrySet().stream().limit(60).forEach(e -> {
            keys.add(e.getKey());
            counts.add(e.getValue());
        });
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(distribution.name())
                .xAxisTitle("key").yAxisTitle("count").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.addSeries(distribution.name(), keys, counts);
        return chart;
    }

    static CategoryChart phaseChart(List<PhaseRecord> phases) {
        Map<String, Double> millis = new LinkedHashMap<>();
        phases.stream().limit(60).forEach(p -> millis.merge(p.path(), p.durationNanos() / 1e6, Double::sum));
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("phases")
                .xAxisTitle("phase").yAxisTitle("duration (ms)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.addSeries("duration", new ArrayList<>(millis.keySet()), new ArrayList<>(millis.values()));
        return chart;
    }

    /** Renders any XChart chart as PNG, for capabilities that draw charts of their own. */
    public static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String trim(double value) {
        String text = String.format(Locale.ROOT, "%.4f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
