package dev.dyno.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dyno.assertions.Threshold.ThresholdResult;
import dev.dyno.metrics.MetricsSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * One finished perf test as the reports see it.
 *
 * @param status {@code passed}, {@code failed} (an assertion or threshold), {@code skipped} (aborted: it could
 *               not run here, {@code failure} says why) or {@code broken} (any other error)
 */
@API(status = INTERNAL, since = "0.1")
public record TestOutcome(String testId, String className, String methodName, String displayName, String status,
        String failure, Instant startedAt, Duration duration, MetricsSnapshot metrics,
        List<ThresholdResult> thresholds) {

    public static TestOutcome of(ExtensionContext context, Instant start, MetricsSnapshot metrics,
            List<ThresholdResult> thresholds, Throwable failure) {
        String status = failure == null ? "passed" : failure instanceof AssertionError ? "failed"
                : failure instanceof TestAbortedException ? "skipped" : "broken";
        return new TestOutcome(context.getUniqueId(), context.getRequiredTestClass().getName(),
                context.getRequiredTestMethod().getName(), context.getDisplayName(), status,
                failure == null ? null : String.valueOf(failure.getMessage()), start,
                Duration.between(start, Instant.now()), metrics, List.copyOf(thresholds));
    }

    /** Whether the test was aborted (skipped with a reason) rather than run. */
    public boolean skipped() {
        return "skipped".equals(status);
    }

    /** {@code SimpleClassName.method}, the name people read in consoles and file names. */
    public String shortName() {
        return className.substring(className.lastIndexOf('.') + 1) + "." + methodName;
    }

    /**
     * The invocation numbers of a {@code @ParameterizedTest}, {@code @RepeatedTest} or other template,
     * outermost first (a parameterized class's, then its method's), such as {@code [2]}; empty for a
     * plain test. JUnit numbers invocations from 1 in its unique ids.
     */
    public List<Integer> invocations() {
        return invocations(testId);
    }

    static List<Integer> invocations(String testId) {
        return INVOCATION.matcher(testId).results().map(m -> Integer.parseInt(m.group(1))).toList();
    }

    private static final Pattern INVOCATION = Pattern.compile("-invocation:#(\\d+)]");

    /**
     * {@link #shortName()}, followed for an invocation of a template by its display name, such as
     * {@code SortScaling.sorts [2] n=10000}: what the console shows.
     */
    public String nameWithInvocation() {
        return invocations().isEmpty() ? shortName() : shortName() + " " + displayName;
    }
}
