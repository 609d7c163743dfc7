package dev.dyno.report;

import dev.dyno.assertions.Threshold.ThresholdResult;
import dev.dyno.metrics.DistributionSnapshot;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.TimerSnapshot;
import java.util.Locale;

/** The per-test summary printed to the console, in the style of the guides' printed output. */
final class ConsoleSummary {

    private ConsoleSummary() {
    }

    static String render(TestOutcome outcome) {
        MetricsSnapshot m = outcome.metrics();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n=== Dyno: %s — %s in %s ===%n", outcome.nameWithInvocation(),
                outcome.status().toUpperCase(Locale.ROOT), DurationText.format(outcome.duration())));
        if (outcome.skipped()) {
            out.append("Skipped: ").append(outcome.failure()).append('\n');
        }
        if (!m.attributes().isEmpty()) {
            out.append("Parameters:\n");
            m.attributes().forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-32s %s%n", k, v)));
        }
        if (!m.timers().isEmpty()) {
            out.append(String.format(Locale.ROOT, "Timers: %-32s %8s %9s %9s %9s %9s %9s%n", "", "count", "mean",
                    "p50", "p95", "p99", "max"));
            for (TimerSnapshot t : m.timers().values()) {
                if (t.count() == 0) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "  %-38s %8d %9s %9s %9s %9s %9s%n", t.name(), t.count(),
                        DurationText.format(t.mean()), DurationText.format(t.median()),
                        DurationText.format(t.percentile(95)), DurationText.format(t.percentile(99)),
                        DurationText.format(t.max())));
            }
        }
        if (!m.counters().isEmpty()) {
            out.append("Counters:\n");
            m.counters().forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-32s %d%n", k, v)));
        }
        if (!m.gauges().isEmpty()) {
            out.append("Gauges:\n");
            m.gauges().values().forEach(g -> out.append(String.format(Locale.ROOT, "  %-32s %s%n", g.name(),
                    TextTables.number(g.value()))));
        }
        for (DistributionSnapshot d : m.distributions().values()) {
            var stats = d.statistics();
            out.append(String.format(Locale.ROOT, "Distribution %s: %d over %d keys (min %d, max %d, spread %s)%n",
                    d.name(), d.total(), d.keysUsed(), stats.getCount() == 0 ? 0 : stats.getMin(),
                    stats.getCount() == 0 ? 0 : stats.getMax(), TextTables.percent(d.maxDeviationFromMean())));
            if (d.counts().size() <= 40) {
                d.counts().forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-32s %d (%s)%n", k, v,
                        TextTables.percent(d.total() == 0 ? 0 : (double) v / d.total()))));
            }
        }
        if (!m.phases().isEmpty()) {
            out.append("Phases:\n");
            m.phases().stream().limit(40).forEach(p -> out.append(String.format(Locale.ROOT, "  %-32s %s%n",
                    "  ".repeat(p.depth()) + p.name(), DurationText.formatNanos(p.durationNanos()))));
        }
        m.tables().forEach(table -> out.append(TextTables.tableText(table)));
        if (!outcome.thresholds().isEmpty()) {
            out.append("Thresholds:\n");
            for (ThresholdResult r : outcome.thresholds()) {
                out.append("  ").append(r.line()).append('\n');
            }
        }
        return out.toString();
    }
}
