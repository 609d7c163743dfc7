package dev.dyno.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DistributionSnapshot;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Phase.PhaseRecord;
import dev.dyno.metrics.TimeSeriesSnapshot;
import dev.dyno.metrics.TimerSnapshot;
import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.HistogramIterationValue;
import org.apiguardian.api.API;

/**
 * The charts every perf test gets from its metrics, as data: the latency-by-percentile curve of
 * each timer (HdrHistogram's classic plot, on a scale of nines), each time series over time, each
 * distribution as bars, and the phases as bars of their durations.
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class MetricCharts {

    /** A test with dozens of metrics gets charts for the first ones only; the data is all in CSV. */
    public static final int MAX_CHARTS_PER_KIND = 8;

    private MetricCharts() {
    }

    /** The charts of a snapshot, in the order a reader wants them. */
    public static List<Chart> of(MetricsSnapshot metrics) {
        List<Chart> charts = new ArrayList<>();
        metrics.timers().values().stream()
                .filter(t -> t.count() > 1 && !t.name().startsWith("phase."))
                .limit(MAX_CHARTS_PER_KIND)
                .forEach(t -> charts.add(percentiles(t)));
        metrics.series().values().stream()
                .filter(s -> s.size() > 1)
                .limit(MAX_CHARTS_PER_KIND)
                .forEach(s -> charts.add(overTime(s)));
        metrics.distributions().values().stream()
                .filter(d -> !d.counts().isEmpty())
                .limit(MAX_CHARTS_PER_KIND)
                .forEach(d -> charts.add(distribution(d)));
        if (!metrics.phases().isEmpty()) {
            charts.add(phases(metrics.phases()));
        }
        return charts;
    }

    /** Latency against percentile on a scale of nines, so the tail gets the room it deserves. */
    public static Chart percentiles(TimerSnapshot timer) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (HistogramIterationValue v : timer.histogram().percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p >= 100.0) {
                break;
            }
            x.add(p);
            y.add(v.getValueIteratedTo() / 1e6);
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(timer.max().toNanos() / 1e6);
        }
        return Chart.xy("latency by percentile: " + timer.name() + " (" + timer.count() + " values)")
                .x(Axis.nines("percentile"))
                .y(Axis.linear("latency", "ms").from(0))
                .line(timer.name(), toArray(x), toArray(y))
                .build();
    }

    public static Chart overTime(TimeSeriesSnapshot series) {
        double[] seconds = new double[series.size()];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = series.offsetsNanos()[i] / 1e9;
        }
        return Chart.xy("over time: " + series.name())
                .x(Axis.linear("time since test start", "s"))
                .y(Axis.linear(series.name()))
                .line(series.name(), seconds, series.values())
                .build();
    }

    public static Chart distribution(DistributionSnapshot distribution) {
        List<String> keys = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        distribution.counts().entrySet().stream().limit(60).forEach(e -> {
            keys.add(e.getKey());
            counts.add((double) e.getValue());
        });
        return Chart.bars("distribution: " + distribution.name())
                .x(Axis.linear("key"))
                .y(Axis.linear("count"))
                .bars(distribution.name(), keys, toArray(counts))
                .build();
    }

    public static Chart phases(List<PhaseRecord> phases) {
        Map<String, Double> millis = new LinkedHashMap<>();
        phases.stream().limit(60).forEach(p -> millis.merge(p.path(), p.durationNanos() / 1e6, Double::sum));
        return Chart.bars("phases")
                .x(Axis.linear("phase"))
                .y(Axis.linear("duration", "ms"))
                .bars("duration", new ArrayList<>(millis.keySet()), toArray(new ArrayList<>(millis.values())))
                .build();
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
