package dev.dyno.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dyno.metrics.ReportTable;
import java.util.Locale;
import org.apiguardian.api.API;

/** Numbers and tables as plain text, for the console and every reporter that writes text. */
@API(status = INTERNAL, since = "0.2")
public final class TextTables {

    private TextTables() {
    }

    /** A table the test added, as aligned text for the console. */
    public static String tableText(ReportTable table) {
        int[] widths = new int[table.columns().size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = table.columns().get(i).length();
            for (var row : table.rows()) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder(table.title()).append(":\n");
        appendRow(text, table.columns(), widths);
        for (var row : table.rows()) {
            appendRow(text, row, widths);
        }
        return text.toString();
    }

    private static void appendRow(StringBuilder text, java.util.List<String> cells, int[] widths) {
        text.append(' ');
        for (int i = 0; i < cells.size(); i++) {
            text.append(' ').append(String.format(Locale.ROOT, i == 0 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s",
                    cells.get(i)));
        }
        text.append('\n');
    }

    public static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.4g", value);
    }

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }
}
