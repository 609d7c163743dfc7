package dev.dyno.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Writes every report of one finished perf test: the results file, the Allure entry and the
 * console summary. A report that cannot be written is a warning, never a lost test result.
 */
@API(status = INTERNAL, since = "0.1")
public final class PerfReport {

    private PerfReport() {
    }

    /** Reports the outcome and returns the results file, or null when it could not be written. */
    public static Path write(TestOutcome outcome, Path resultsDirectory) {
        Map<String, String> environment = EnvironmentFingerprint.capture();
        Path file = null;
        try {
            file = ResultsFile.write(outcome, environment, resultsDirectory);
        } catch (RuntimeException e) {
            System.err.println("[dyno] " + e.getMessage());
        }
        try {
            if (AllureReport.active()) {
                AllureReport.writeEnvironment(environment);
                AllureReport.attach(outcome, ResultsFile.json(ResultsFile.toJson(outcome, environment)));
            }
        } catch (RuntimeException e) {
            System.err.println("[dyno] could not add " + outcome.shortName() + " to the Allure report: " + e);
        }
        System.out.print(ConsoleSummary.render(outcome) + (file == null ? "" : "Results: " + file + "\n"));
        return file;
    }
}
