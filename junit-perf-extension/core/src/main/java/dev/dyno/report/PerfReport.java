package dev.dyno.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.config.EnvironmentFingerprint;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.apiguardian.api.API;

/**
 * Hands one finished perf test to every {@link Reporter} on the class path, in their order. A
 * reporter that fails is a warning, never a lost test result.
 */
@API(status = INTERNAL, since = "0.1")
public final class PerfReport {

    private static final List<Reporter> REPORTERS = load();

    private PerfReport() {
    }

    /**
     * Reports the outcome where {@code configuration} says, and returns the results file, or null
     * when it could not be written.
     */
    public static Path write(TestOutcome outcome, DynoConfiguration configuration) {
        TestReport report = new TestReport(outcome, EnvironmentFingerprint.capture(configuration), configuration);
        for (Reporter reporter : REPORTERS) {
            try {
                reporter.report(report);
            } catch (RuntimeException | LinkageError e) {
                System.err.println("[dyno] " + reporter.getClass().getSimpleName() + " could not report "
                        + outcome.shortName() + ": " + e);
            }
        }
        return report.resultsFile().orElse(null);
    }

    /** The reporters on the class path, in their order. */
    public static List<Reporter> reporters() {
        return REPORTERS;
    }

    private static List<Reporter> load() {
        return ServiceLoader.load(Reporter.class, PerfReport.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(Reporter::order).thenComparing(r -> r.getClass().getName()))
                .toList();
    }
}
