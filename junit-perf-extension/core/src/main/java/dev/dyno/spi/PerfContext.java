package dev.dyno.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.assertions.Threshold;
import dev.dyno.metrics.Recorder;
import dev.dyno.report.TestOutcome;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The perf test an extension takes part in, reached from JUnit's {@link ExtensionContext}: its
 * recorder, its thresholds and the steps that see its outcome. This is the low-level door for an
 * extension that keeps its own JUnit lifecycle (a {@link PerfTestPlugin}, or an extension written
 * before {@link CapabilityExtension}); a capability that extends {@link CapabilityExtension} gets the
 * same through {@link Capability} and need not use this class.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>The test must be a {@code @PerfTest}: the method, or the capability annotation it carries,
 *     is annotated with {@code @PerfTest} <em>before</em> the capability's {@code @ExtendWith}, so
 *     that {@code @PerfTest}'s extension registers first and the test's run exists by the time the
 *     capability's {@code beforeEach} runs. Otherwise every method here throws an
 *     {@link ExtensionConfigurationException} saying so.</li>
 * <li>What is recorded into {@link #recorder} counts like what the method records: thresholds are
 *     checked against it, and every reporter (console, results file, Allure) shows it. The recorder
 *     is thread-safe; a capability may record from its own threads until the method returns.</li>
 * <li>{@link #expect} belongs in {@code beforeEach}: a malformed threshold then fails the test
 *     before anything is provisioned.</li>
 * <li>Each test invocation has its own run: parallel tests and the invocations of a template never
 *     see each other's metrics.</li>
 * </ul>
 *
 * <p>Tests themselves use {@link Recorder} and {@code @PerfTest}.
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
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
