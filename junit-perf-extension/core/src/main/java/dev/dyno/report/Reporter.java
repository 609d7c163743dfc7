package dev.dyno.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * An output of finished perf tests, found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.dyno.report.Reporter}. The core brings the results file, the history
 * and the console; the Allure module brings the Allure entry with its charts. A reporter that throws
 * is reported on stderr and never stops the others, nor loses the test's result.
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public interface Reporter {

    /** Reports one finished test. */
    void report(TestReport report);

    /**
     * When this reporter runs, lowest first. Reporters that add to the report (the results file,
     * the history) run before those that render it (Allure, the console), which run at 0 and later.
     */
    default int order() {
        return 0;
    }
}
