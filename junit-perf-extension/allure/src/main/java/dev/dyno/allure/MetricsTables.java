package dev.dyno.allure;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.ReportTable;
import dev.dyno.metrics.TimeSeriesSnapshot;
import dev.dyno.metrics.TimerSnapshot;
import dev.dyno.report.ResultsFile;
import dev.dyno.report.TextTables;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The metrics as CSV (raw data for spreadsheets) and as HTML tables (for Allure). */
final class MetricsTables {

    private MetricsTables() {
    }

    /** One row per metric statistic: {@code metric,kind,statistic,value,unit}. */
    static String summaryCsv(MetricsSnapshot metrics) {
        return csv(new String[] {"metric", "kind", "statistic", "value", "unit"}, printer -> {
            for (TimerSnapshot timer : metrics.timers().values()) {
                printer.printRecord(timer.name(), "timer", "count", timer.count(), "");
                printer.printRecord(timer.name(), "timer", "mean", ms(timer.mean().toNanos()), "ms");
                printer.printRecord(timer.name(), "timer", "min", ms(timer.min().toNanos()), "ms");
                for (double p : ResultsFile.percentiles()) {
                    printer.printRecord(timer.name(), "timer", ResultsFile.percentileKey(p),
                            ms(timer.percentile(p).toNanos()), "ms");
                }
                printer.printRecord(timer.name(), "timer", "max", ms(timer.max().toNanos()), "ms");
            }
            for (var counter : metrics.counters().entrySet()) {
                printer.printRecord(counter.getKey(), "counter", "count", counter.getValue(), "");
            }
            for (var gauge : metrics.gauges().values()) {
                printer.printRecord(gauge.name(), "gauge", "value", gauge.value(), "");
                printer.printRecord(gauge.name(), "gauge", "min", gauge.min(), "");
                printer.printRecord(gauge.name(), "gauge", "max", gauge.max(), "");
            }
            for (var distribution : metrics.distributions().values()) {
                for (var entry : distribution.counts().entrySet()) {
                    printer.printRecord(distribution.name(), "distribution", entry.getKey(), entry.getValue(), "");
                }
            }
            for (var phase : metrics.phases()) {
                printer.printRecord("phase." + phase.path(), "phase", "duration", ms(phase.durationNanos()), "ms");
            }
        });
    }

    /** Every point of every time series: {@code series,offset_ms,value}. */
    static String seriesCsv(MetricsSnapshot metrics) {
        return csv(new String[] {"series", "offset_ms", "value"}, printer -> {
            for (TimeSeriesSnapshot series : metrics.series().values()) {
                for (int i = 0; i < series.size(); i++) {
                    printer.printRecord(series.name(), ms(series.offsetsNanos()[i]), series.values()[i]);
                }
            }
        });
    }

    /** The percentile table of all timers, as an HTML page. */
    static String percentileHtml(MetricsSnapshot metrics) {
        StringBuilder html = new StringBuilder(HEAD).append("<table><tr><th>timer</th><th>count</th><th>mean</th>"
                + "<th>min</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th></tr>");
        for (TimerSnapshot t : metrics.timers().values()) {
            html.append("<tr><td>").append(escape(t.name())).append("</td><td>").append(t.count()).append("</td>");
            cell(html, t.mean().toNanos());
            cell(html, t.min().toNanos());
            for (double p : ResultsFile.percentiles()) {
                cell(html, t.percentile(p).toNanos());
            }
            cell(html, t.max().toNanos());
            html.append("</tr>");
        }
        return html.append("</table></body></html>").toString();
    }

    /** Counters, gauges and distributions as an HTML page. */
    static String valuesHtml(MetricsSnapshot metrics) {
        StringBuilder html = new StringBuilder(HEAD).append("<table><tr><th>metric</th><th>kind</th><th>value</th></tr>");
        metrics.counters().forEach((name, value) -> row(html, name, "counter", Long.toString(value)));
        metrics.gauges().values().forEach(g -> row(html, g.name(), "gauge",
                TextTables.number(g.value()) + " (min " + TextTables.number(g.min()) + ", max " + TextTables.number(g.max()) + ")"));
        metrics.distributions().values().forEach(d -> row(html, d.name(), "distribution",
                "total " + d.total() + " over " + d.keysUsed() + " keys; min " + d.statistics().getMin() + ", max "
                        + d.statistics().getMax() + ", spread " + TextTables.percent(d.maxDeviationFromMean())));
        return html.append("</table></body></html>").toString();
    }

    /** A table the test added, as an HTML page. */
    static String tableHtml(ReportTable table) {
        return HEAD + "<h3>" + escape(table.title()) + "</h3>" + tableFragment(table) + "</body></html>";
    }

    /** The table alone, to put inside another page (a test's description). */
    static String tableFragment(ReportTable table) {
        StringBuilder html = new StringBuilder("<table><tr>");
        table.columns().forEach(c -> html.append("<th>").append(escape(c)).append("</th>"));
        html.append("</tr>");
        for (var row : table.rows()) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
            html.append("</tr>");
        }
        return html.append("</table>").toString();
    }

    private static final String HEAD = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>"
            + "body{font-family:sans-serif;font-size:13px}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
            + "</style></head><body>";

    private static void cell(StringBuilder html, long nanos) {
        html.append("<td>").append(DurationText.formatNanos(nanos)).append("</td>");
    }

    private static void row(StringBuilder html, String name, String kind, String value) {
        html.append("<tr><td>").append(escape(name)).append("</td><td>").append(kind).append("</td><td>")
                .append(escape(value)).append("</td></tr>");
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }

    private static String csv(String[] header, Rows rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = CSVFormat.DEFAULT.builder().setHeader(header).get().print(out)) {
            rows.print(printer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
