package dev.dyno.allure;

import dev.dyno.report.RunSummary;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Stage;
import io.qameta.allure.model.TestResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Puts the run's summary into the Allure report as an entry of its own, "Dyno run summary", in the
 * suite "Dyno": the suite-level tables (A/B verdicts, changes against the history, each
 * capability's results) in one place. It is not a test: it has no status (Allure shows "unknown"), so it never
 * counts as a pass or a failure.
 */
public final class AllureRunSummary implements RunSummary.Sink {

    static final String NAME = "Dyno run summary";

    @Override
    public void write(RunSummary summary) {
        if (summary.tests().isEmpty()) {
            return;
        }
        Path directory = Path.of(System.getProperty("allure.results.directory", "allure-results"));
        FileSystemResultsWriter writer = new FileSystemResultsWriter(directory);
        String source = UUID.randomUUID() + "-attachment.md";
        writer.write(source, new ByteArrayInputStream(summary.markdown().getBytes(StandardCharsets.UTF_8)));
        long now = System.currentTimeMillis();
        writer.write(new TestResult().setUuid(UUID.randomUUID().toString()).setHistoryId("dyno-run-summary")
                .setName(NAME).setFullName("dev.dyno.RunSummary")
                .setStage(Stage.FINISHED).setStart(now).setStop(now)
                .setDescriptionHtml(html(summary))
                .setLabels(List.of(new Label().setName("suite").setValue("Dyno"),
                        new Label().setName("tag").setValue("summary")))
                .setAttachments(List.of(new Attachment().setName("summary.md").setType("text/markdown")
                        .setSource(source))));
    }

    static String html(RunSummary summary) {
        StringBuilder html = new StringBuilder("<style>.dyno td,.dyno th{border:1px solid #ccc;padding:2px 8px}"
                + ".dyno table{border-collapse:collapse;margin:8px 0}</style><div class=\"dyno\"><h3>")
                .append(MetricsTables.escape(summary.headline())).append("</h3><table><tr><th></th><th>test</th>"
                        + "<th>status</th><th>duration</th></tr>");
        for (RunSummary.TestLine test : summary.tests()) {
            html.append("<tr><td>").append(RunSummary.icon(test.status())).append("</td><td>")
                    .append(MetricsTables.escape(test.name())).append("</td><td>").append(test.status())
                    .append("</td><td>").append(dev.dyno.metrics.DurationText.format(test.duration())).append("</td></tr>");
        }
        html.append("</table>");
        summary.sections().forEach((section, rows) -> {
            Set<String> columns = new LinkedHashSet<>();
            rows.forEach(r -> columns.addAll(r.keySet()));
            html.append("<h4>").append(MetricsTables.escape(section)).append("</h4><table><tr>");
            columns.forEach(c -> html.append("<th>").append(MetricsTables.escape(c)).append("</th>"));
            html.append("</tr>");
            for (Map<String, String> row : rows) {
                html.append("<tr>");
                columns.forEach(c -> html.append("<td>").append(MetricsTables.escape(row.getOrDefault(c, "")))
                        .append("</td>"));
                html.append("</tr>");
            }
            html.append("</table>");
        });
        if (!summary.skipped().isEmpty()) {
            html.append("<h4>Skipped</h4><ul>");
            summary.skipped().forEach(s -> html.append("<li>").append(MetricsTables.escape(s)).append("</li>"));
            html.append("</ul>");
        }
        return html.append("</div>").toString();
    }
}
