package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * A table a test adds to its report, such as an old-versus-new comparison. Shown in Allure as
 * HTML, in the console as aligned text, and kept in the results file.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ReportTable(String title, List<String> columns, List<List<String>> rows) {

    public ReportTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("table '" + title + "' has " + columns.size()
                        + " columns but a row has " + row.size() + ": " + row);
            }
        }
    }
}
