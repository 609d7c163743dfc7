package dev.dyno.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dyno.config.EnvironmentFingerprint;
import dev.dyno.config.DynoConfiguration;
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

    /**
     * Attaches a log file to the current Allure test, keeping its last {@value #LOG_TAIL_BYTES}
     * bytes; does nothing outside Allure or when the file is missing.
     */
    public static void attachLog(String name, Path file) {
        try {
            if (AllureReport.active() && file != null && java.nio.file.Files.isReadable(file)) {
                AllureReport.attachFileTail(name, file, LOG_TAIL_BYTES);
            }
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("[dyno] could not attach " + file + ": " + e);
        }
    }

    /**
     * Attaches content a capability made (a chart of its own, a raw data file) to the current
     * Allure test; does nothing outside Allure.
     */
    public static void attach(String name, String mediaType, String fileExtension, byte[] content) {
        try {
            if (AllureReport.active()) {
                io.qameta.allure.Allure.getLifecycle().addAttachment(name, mediaType, fileExtension, content);
            }
        } catch (RuntimeException e) {
            System.err.println("[dyno] could not attach " + name + ": " + e);
        }
    }

    /**
     * Adds a finished step, with parameters, to the current Allure test, such as one run of an
     * experiment, so each run shows on its own in the report; does nothing outside Allure.
     */
    public static void step(String name, boolean passed, java.util.Map<String, String> parameters) {
        try {
            if (AllureReport.active()) {
                AllureReport.step(name, passed, parameters);
            }
        } catch (RuntimeException e) {
            System.err.println("[dyno] could not add step " + name + ": " + e);
        }
    }

    /** The most of one log a report keeps; the whole log stays on disk. */
    public static final int LOG_TAIL_BYTES = 1024 * 1024;

    /**
     * Reports the outcome where {@code configuration} says, and returns the results file, or null
     * when it could not be written.
     */
    public static Path write(TestOutcome outcome, DynoConfiguration configuration) {
        Map<String, String> environment = EnvironmentFingerprint.capture(configuration);
        Path file = null;
        try {
            file = ResultsFile.write(outcome, environment, configuration.resultsDirectory());
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
        if (!outcome.skipped()) {
            // nothing was measured: a skipped run in the history would be compared as if it had been
            dev.dyno.history.ResultsHistory.record(outcome, environment, configuration);
        }
        return file;
    }
}
