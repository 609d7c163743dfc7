package dev.dyno.view;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One row of a suite-level table: what a test contributes to the run's summary, such as one
 * configuration's improvement for {@code @CpuBoost} or one profile's breaking point for
 * {@code @LoadProfile}. Rows of the same section from every test of the run form one table, like
 * the guides' summary tables, in the run summary ({@code summary.md}, the CI step summary, Allure).
 *
 * @param section the table it belongs to, such as {@code "CPU boost: start-up improvement"}
 * @param cells   column name to value, in column order
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record SummaryRow(String section, Map<String, String> cells) {

    public SummaryRow {
        Objects.requireNonNull(section, "section");
        cells = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cells));
    }
}
