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
 * place for its thresholds, and resources closed with the test however it ends. Handed to each
 * step of a {@link CapabilityExtension}.
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
     * Adds thresholds, checked after the method like {@code @PerfTest(thresholds)}. A malformed one
     * fails here, before anything is provisioned.
     *
     * @param attribute the annotation attribute they came from, such as {@code "thresholds"}, for errors
     */
    public void expect(String attribute, String... thresholds) {
        PerfRun.of(context).orElseThrow().thresholds()
                .addAll(Threshold.parseAll("@" + annotationName + "(" + attribute + ")", thresholds));
    }

    /**
     * Closes {@code resource} when the test ends, however it ends (passed, failed, timed out):
     * a runtime, an executor, a sampler. Returns it, for chaining.
     */
    public <T extends AutoCloseable> T closeWithTest(T resource) {
        context.getStore(Namespace.create(Capability.class, annotationName)).put(new Object(),
                ClosedWithTest.holding(resource));
        return resource;
    }

    /**
     * Skips the test: what it needs is missing here (no GPU, no Docker engine). Counted as skipped,
     * or failed where {@code dyno.skips=fail}.
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
