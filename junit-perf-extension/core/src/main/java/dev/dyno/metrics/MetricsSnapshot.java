package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.Gauge.GaugeSnapshot;
import dev.dyno.metrics.Phase.PhaseRecord;
import dev.dyno.view.Attachment;
import dev.dyno.view.Chart;
import dev.dyno.view.Step;
import dev.dyno.view.SummaryRow;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * Everything a {@link dev.dyno.metrics.Recorder} held at one moment. Reports, thresholds and assertions
 * all read snapshots, so they agree with each other.
 *
 * @param elapsedNanos time from the recorder's creation to this snapshot
 * @param droppedPhases phases not kept because the limit of phases per test was reached
 * @param tables tables the test added to its report, in the order added
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record MetricsSnapshot(Instant startedAt, long elapsedNanos, Map<String, TimerSnapshot> timers,
        Map<String, Long> counters, Map<String, GaugeSnapshot> gauges, Map<String, TimeSeriesSnapshot> series,
        Map<String, DistributionSnapshot> distributions, List<PhaseRecord> phases, long droppedPhases,
        Map<String, String> attributes, List<ReportTable> tables, List<Chart> charts,
        List<Attachment> attachments, List<Step> steps, List<SummaryRow> summaries) {

    public MetricsSnapshot {
        timers = Collections.unmodifiableMap(timers);
        counters = Collections.unmodifiableMap(counters);
        gauges = Collections.unmodifiableMap(gauges);
        series = Collections.unmodifiableMap(series);
        distributions = Collections.unmodifiableMap(distributions);
        phases = List.copyOf(phases);
        attributes = Collections.unmodifiableMap(attributes);
        tables = List.copyOf(tables);
        charts = List.copyOf(charts);
        attachments = List.copyOf(attachments);
        steps = List.copyOf(steps);
        summaries = List.copyOf(summaries);
    }

    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos);
    }

    public Optional<TimerSnapshot> timer(String name) {
        return Optional.ofNullable(timers.get(name));
    }

    /** A counter's value; zero for a counter never touched. */
    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    public Optional<GaugeSnapshot> gauge(String name) {
        return Optional.ofNullable(gauges.get(name));
    }

    public Optional<TimeSeriesSnapshot> series(String name) {
        return Optional.ofNullable(series.get(name));
    }

    public Optional<DistributionSnapshot> distribution(String name) {
        return Optional.ofNullable(distributions.get(name));
    }

    /** Every metric name, sorted. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        names.addAll(timers.keySet());
        names.addAll(counters.keySet());
        names.addAll(gauges.keySet());
        names.addAll(series.keySet());
        names.addAll(distributions.keySet());
        return names;
    }

    /** The kind of the named metric ("timer", "counter", …), or empty when there is none. */
    public Optional<String> kindOf(String name) {
        if (timers.containsKey(name)) {
            return Optional.of("timer");
        }
        if (counters.containsKey(name)) {
            return Optional.of("counter");
        }
        if (gauges.containsKey(name)) {
            return Optional.of("gauge");
        }
        if (series.containsKey(name)) {
            return Optional.of("series");
        }
        if (distributions.containsKey(name)) {
            return Optional.of("distribution");
        }
        return Optional.empty();
    }
}
