package dev.dyno.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.assertions.Threshold;
import dev.dyno.config.DynoAssumptions;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Recorder;
import dev.dyno.report.TestOutcome;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * What a capability sees of the perf test it runs in: the test's recorder and configuration, a
 * place for its thresholds, a way to skip with a reason, and resources closed with the test however
 * it ends. {@link CapabilityExtension} hands one to each of its steps.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>Thresholds ({@link #expect}) and skips ({@link #abort}) belong in
 *     {@link CapabilityExtension#validate validate}: a malformed threshold, or a machine that cannot
 *     run the experiment, then stops the test before anything is provisioned.</li>
 * <li>What {@link #recorder()} receives is the test's own recording: thresholds are checked against
 *     it and every reporter shows it, charts, attachments and steps included. It is thread-safe.</li>
 * <li>Everything that must be stopped or deleted (processes, containers, executors, temporary files)
 *     is registered with {@link #closeWithTest} the moment it exists, not after the experiment:
 *     it is then closed when the test passes, fails, times out or is skipped.</li>
 * <li>It is valid for the test it was handed for; keep none beyond it.</li>
 * </ul>
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class Capability {

    private final ExtensionContext context;
    private final String annotationName;

    Capability(ExtensionContext context, String annotationName) {
        this.context = context;
        this.annotationName = annotationName;
    }

    /** The recorder of the test: what the capability records here is thresholded and reported. */
    public Recorder recorder() {
        return PerfContext.recorder(context);
    }

    /** The test's {@code dyno.*} configuration. */
    public DynoConfiguration configuration() {
        return DynoConfiguration.of(context);
    }

    /**
     * Adds thresholds, checked after the method like {@code @PerfTest(thresholds)}, on what the
     * capability and the method recorded. A malformed one fails here with an
     * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming
     * {@code @Annotation(attribute)}, before anything is provisioned. A capability may also add
     * thresholds of its own making, such as {@code "disk.files.left == 0"}.
     *
     * @param attribute the annotation attribute they came from, such as {@code "thresholds"}, for errors
     */
    public void expect(String attribute, String... thresholds) {
        PerfRun.of(context).orElseThrow().thresholds()
                .addAll(Threshold.parseAll("@" + annotationName + "(" + attribute + ")", thresholds));
    }

    /**
     * Closes {@code resource} when the test ends, however it ends (passed, failed, timed out,
     * skipped): a runtime, an executor, a sampler, a temporary directory. Resources are closed after
     * the method, the thresholds and the reports. A {@code close} that throws fails the test; close
     * quietly what may already be gone. Returns it, for chaining.
     */
    public <T extends AutoCloseable> T closeWithTest(T resource) {
        context.getStore(Namespace.create(Capability.class, annotationName)).put(new Object(),
                ClosedWithTest.holding(resource));
        return resource;
    }

    /**
     * Skips the test: what it needs is missing here (no GPU, no Docker engine, too little free
     * disk). The reason is shown and written to the results file; the test counts as skipped, or as
     * failed with the same reason where {@code dyno.skips=fail}, so that CI cannot pass by skipping.
     * Bad input is not a reason to skip: it fails with an
     * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException}. Never returns.
     */
    public void abort(String reason) {
        DynoAssumptions.abort(reason);
    }

    /** Runs {@code step} with the outcome once the thresholds are checked, before the reports are written. */
    public void onOutcome(Consumer<TestOutcome> step) {
        PerfContext.onOutcome(context, step);
    }

    /** {@code SimpleClassName.method}, for file names and logs. */
    public String testName() {
        return context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
    }

    /** Where results files go; a capability writes its own raw data beside them. */
    public Path resultsDirectory() {
        return configuration().resultsDirectory();
    }

    /** JUnit's context of the test, for what this class does not cover. */
    public ExtensionContext extensionContext() {
        return context;
    }
}
