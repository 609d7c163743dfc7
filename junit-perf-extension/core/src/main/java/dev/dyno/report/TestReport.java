package dev.dyno.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.ReportTable;
import dev.dyno.view.Attachment;
import dev.dyno.view.Chart;
import dev.dyno.view.SummaryRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;

/**
 * One finished perf test on its way through the {@link Reporter reporters}: its outcome, the
 * environment it ran in, and what earlier reporters added (the history's trend charts, the path of
 * the results file) for later ones to show.
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class TestReport {

    private final TestOutcome outcome;
    private final Map<String, String> environment;
    private final DynoConfiguration configuration;
    private final List<Chart> charts = Collections.synchronizedList(new ArrayList<>());
    private final List<ReportTable> tables = Collections.synchronizedList(new ArrayList<>());
    private final List<Attachment> attachments = Collections.synchronizedList(new ArrayList<>());
    private final List<SummaryRow> summaries = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Path> resultsFile = new AtomicReference<>();

    public TestReport(TestOutcome outcome, Map<String, String> environment, DynoConfiguration configuration) {
        this.outcome = outcome;
        this.environment = Map.copyOf(environment);
        this.configuration = configuration;
    }

    public TestOutcome outcome() {
        return outcome;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public DynoConfiguration configuration() {
        return configuration;
    }

    /** Every chart to show: the test's own, then those reporters added. */
    public List<Chart> charts() {
        List<Chart> all = new ArrayList<>(outcome.metrics().charts());
        all.addAll(charts);
        return all;
    }

    /** Every table to show: the test's own, then those reporters added. */
    public List<ReportTable> tables() {
        List<ReportTable> all = new ArrayList<>(outcome.metrics().tables());
        all.addAll(tables);
        return all;
    }

    /** Every attachment to show: the test's own, then those reporters added. */
    public List<Attachment> attachments() {
        List<Attachment> all = new ArrayList<>(outcome.metrics().attachments());
        all.addAll(attachments);
        return all;
    }

    /** Every row for the run's suite-level tables: the test's own, then those reporters added. */
    public List<SummaryRow> summaries() {
        List<SummaryRow> all = new ArrayList<>(outcome.metrics().summaries());
        all.addAll(summaries);
        return all;
    }

    public void add(SummaryRow row) {
        summaries.add(row);
    }

    public void add(Chart chart) {
        charts.add(chart);
    }

    public void add(ReportTable table) {
        tables.add(table);
    }

    public void add(Attachment attachment) {
        attachments.add(attachment);
    }

    /** The results file, once the results-file reporter has written it. */
    public Optional<Path> resultsFile() {
        return Optional.ofNullable(resultsFile.get());
    }

    public void resultsFile(Path file) {
        resultsFile.set(file);
    }
}
