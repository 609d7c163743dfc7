package dev.dyno.spi;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dyno.metrics.Recorder;
import dev.dyno.assertions.Threshold;
import dev.dyno.report.TestOutcome;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * How a capability's extension (such as {@code @LoadProfile}'s) takes part in a {@code @PerfTest}:
 * it records into the test's recorder, so thresholds, reports and assertions see its metrics, and
 * it adds the thresholds of its own annotation. A capability annotation is meta-annotated with
 * {@code @PerfTest}, so {@code PerfTestExtension} runs first and the test's recorder exists by the
 * time the capability's {@code beforeEach} runs.
 *
 * <p>For extension authors; tests use {@link Recorder} and {@code @PerfTest}.
 */
@API(status = INTERNAL, since = "0.1")
public final class PerfContext {

    private PerfContext() {
    }

    private static PerfRun run(ExtensionContext context) {
        return PerfRun.of(context).orElseThrow(() -> new ExtensionConfigurationException(context.getDisplayName()
                + " is not a perf test: annotate the method (or your capability annotation) with @PerfTest"));
    }

    /**
     * The recorder of the test that {@code context} belongs to.
     *
     * @throws ExtensionConfigurationException when the test is not a {@code @PerfTest}
     */
    public static Recorder recorder(ExtensionContext context) {
        return run(context).recorder();
    }

    /**
     * Adds thresholds checked after the method, like {@code @PerfTest(thresholds)}. Call it from
     * {@code beforeEach}: a malformed expression fails there, before anything is provisioned.
     *
     * @param attribute how to name the attribute in errors, such as {@code "@LoadProfile(thresholds)"}
     */
    public static void expect(ExtensionContext context, String attribute, String... thresholds) {
        run(context).thresholds().addAll(Threshold.parseAll(attribute, thresholds));
    }

    /**
     * Adds a step that runs once the method has ended and the thresholds are checked, with the
     * test's outcome, before the reports are written: a capability attaches what only a failure
     * asks for, such as a flame graph. A step that throws is reported and does not stop the others.
     *
     * @since 0.2
     */
    public static void onOutcome(ExtensionContext context, Consumer<TestOutcome> step) {
        run(context).outcomeSteps().add(step);
    }
}
