package dev.dyno.allure;

import dev.dyno.assertions.Threshold.State;
import dev.dyno.assertions.Threshold.ThresholdResult;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.ReportTable;
import dev.dyno.report.TestOutcome;
import dev.dyno.report.TestReport;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a test page opens on, as the test's HTML description: the verdict, the thresholds, the
 * test's first table (a capability records the guide's table first) and its first chart, inline.
 * Everything else is one click further, grouped.
 */
final class Headline {

    private static final String STYLE = "<style>.dyno td,.dyno th{border:1px solid #ccc;padding:2px 8px;"
            + "text-align:right}.dyno td:first-child,.dyno th:first-child{text-align:left}"
            + ".dyno table{border-collapse:collapse;margin:8px 0}.dyno .ok{color:#2e7d32}.dyno .bad{color:#c62828}</style>";

    private Headline() {
    }

    static String html(TestReport report, Optional<byte[]> firstChart) {
        TestOutcome outcome = report.outcome();
        StringBuilder html = new StringBuilder(STYLE).append("<div class=\"dyno\"><p><b class=\"")
                .append(outcome.status().equals("passed") ? "ok" : "bad").append("\">")
                .append(outcome.status().toUpperCase(Locale.ROOT)).append("</b> in ")
                .append(MetricsTables.escape(DurationText.format(outcome.duration())));
        List<ThresholdResult> thresholds = outcome.thresholds();
        long breached = thresholds.stream().filter(r -> r.state() != State.PASSED).count();
        if (!thresholds.isEmpty()) {
            html.append(" — ").append(breached == 0 ? thresholds.size() + " of " + thresholds.size() + " thresholds passed"
                    : breached + " of " + thresholds.size() + " thresholds breached");
        }
        html.append("</p>");
        if (outcome.failure() != null && !outcome.status().equals("passed")) {
            html.append("<p>").append(MetricsTables.escape(outcome.failure().lines().findFirst().orElse(""))).append("</p>");
        }
        if (!thresholds.isEmpty()) {
            html.append("<ul>");
            thresholds.forEach(r -> html.append("<li class=\"").append(r.state() == State.PASSED ? "ok" : "bad")
                    .append("\">").append(MetricsTables.escape(r.line())).append("</li>"));
            html.append("</ul>");
        }
        List<ReportTable> tables = report.tables();
        if (!tables.isEmpty()) {
            html.append("<p><b>").append(MetricsTables.escape(tables.get(0).title())).append("</b></p>")
                    .append(MetricsTables.tableFragment(tables.get(0)));
        }
        firstChart.ifPresent(png -> html.append("<p><img style=\"max-width:100%\" alt=\"chart\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></p>"));
        return html.append("</div>").toString();
    }
}
