package dev.dyno;

import dev.dyno.assertions.Threshold;
import dev.dyno.assertions.Threshold.State;
import dev.dyno.assertions.Threshold.ThresholdResult;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.report.PerfReport;
import dev.dyno.report.TestOutcome;
import dev.dyno.spi.PerfContext;
import dev.dyno.spi.PerfRun;
import dev.dyno.spi.PerfTestPlugin;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Gives each {@link Perf} or {@link PerfTest} invocation its {@link Recorder}, checks the thresholds afterwards and reports.
 * All state is in the test method's store, so parallel tests never see each other's metrics.
 */
class PerfTestExtension implements ParameterResolver, BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

    /** What modules add to every perf test (the runtimes module's WorkloadRuntime parameter). */
    private static final List<PerfTestPlugin> PLUGINS = ServiceLoader.load(PerfTestPlugin.class,
            PerfTestExtension.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    private static final Namespace NAMESPACE = Namespace.create(PerfTestExtension.class);
    private static final String REPORTED = "reported";

    /**
     * Runs once per invocation: for a {@code @ParameterizedTest} or {@code @RepeatedTest} with
     * {@code @Perf}, {@code context} is the invocation's, so each gets its own run.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        // Validate before anything is provisioned or measured.
        PerfRun.start(context, thresholds(context.getRequiredTestMethod()));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
        return parameterContext.getParameter().getType() == Recorder.class || plugin(parameterContext, context) != null;
    }

    private static ParameterResolver plugin(ParameterContext parameterContext, ExtensionContext context) {
        for (PerfTestPlugin plugin : PLUGINS) {
            if (plugin instanceof ParameterResolver resolver && resolver.supportsParameter(parameterContext, context)) {
                return resolver;
            }
        }
        return null;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        if (parameterContext.getParameter().getType() != Recorder.class) {
            return plugin(parameterContext, context).resolveParameter(parameterContext, context);
        }
        PerfRun run = PerfRun.of(context).orElse(null);
        if (run == null) {
            throw new ParameterResolutionException("a Recorder can only be injected into a @PerfTest or @Perf method, not into "
                    + parameterContext.getDeclaringExecutable());
        }
        return run.recorder();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) throws Exception {
        PerfRun run = PerfRun.of(context).orElse(null);
        if (run == null) {
            return;
        }
        for (PerfTestPlugin plugin : PLUGINS) {
            if (plugin instanceof AfterTestExecutionCallback callback) {
                callback.afterTestExecution(context);
            }
        }
        context.getStore(NAMESPACE).put(REPORTED, Boolean.TRUE);
        if (reportedSkipped(context, run)) {
            return;
        }
        MetricsSnapshot snapshot = run.recorder().snapshot();
        List<ThresholdResult> results = new ArrayList<>();
        ExtensionConfigurationException misconfigured = null;
        for (Threshold threshold : run.thresholds()) {
            try {
                results.add(threshold.evaluate(snapshot));
            } catch (ExtensionConfigurationException e) {
                // Kept in the results, so the summary lists it with its reason instead of leaving it out.
                results.add(ThresholdResult.misconfigured(threshold, e.getMessage()));
                misconfigured = misconfigured == null ? e : misconfigured;
            }
        }
        List<ThresholdResult> breached = results.stream()
                .filter(r -> r.state() == State.BREACHED || r.state() == State.NO_VALUES).toList();
        Throwable failure = context.getExecutionException().orElse(misconfigured);
        String thresholdFailure = breached.isEmpty() ? null : breachMessage(breached, results.size());

        TestOutcome outcome = TestOutcome.of(context, run.start(), snapshot, results,
                failure != null ? failure : thresholdFailure == null ? null : new AssertionFailedError(thresholdFailure));
        for (Consumer<TestOutcome> step : run.outcomeSteps()) {
            try {
                step.accept(outcome);
            } catch (RuntimeException e) {
                System.err.println("[dyno] a report step of " + outcome.shortName() + " failed: " + e);
            }
        }
        if (!run.outcomeSteps().isEmpty()) {
            outcome = withWhatStepsAdded(outcome, run.recorder().snapshot());
        }
        PerfReport.write(outcome, DynoConfiguration.of(context));

        if (misconfigured != null) {
            throw misconfigured;
        }
        if (thresholdFailure != null && context.getExecutionException().isEmpty()) {
            throw new AssertionFailedError(thresholdFailure);
        }
    }

    /**
     * A capability that aborts in its {@code beforeEach} (no GPU, an unavailable policy) stops the
     * test before {@link #afterTestExecution} could report it: its results file still says it was
     * skipped, and why.
     */
    @Override
    public void afterEach(ExtensionContext context) {
        PerfRun run = PerfRun.of(context).orElse(null);
        if (run != null && context.getStore(NAMESPACE).get(REPORTED) == null) {
            reportedSkipped(context, run);
        }
    }

    /** Reports an aborted test as skipped, with its reason; nothing was claimed, so no threshold is judged. */
    private static boolean reportedSkipped(ExtensionContext context, PerfRun run) {
        Optional<Throwable> aborted = context.getExecutionException().filter(TestAbortedException.class::isInstance);
        aborted.ifPresent(reason -> PerfReport.write(TestOutcome.of(context, run.start(), run.recorder().snapshot(),
                List.of(), reason), DynoConfiguration.of(context)));
        return aborted.isPresent();
    }

    /**
     * The outcome with what its outcome steps added to the report (a failure's flame graph, a chart,
     * a step): they run after the snapshot, which would otherwise leave them out. The metrics stay
     * those the thresholds were judged on, so the report and the verdict agree.
     */
    private static TestOutcome withWhatStepsAdded(TestOutcome outcome, MetricsSnapshot latest) {
        MetricsSnapshot judged = outcome.metrics();
        MetricsSnapshot metrics = new MetricsSnapshot(judged.startedAt(), judged.elapsedNanos(), judged.timers(),
                judged.counters(), judged.gauges(), judged.series(), judged.distributions(), judged.phases(),
                judged.droppedPhases(), latest.attributes(), latest.tables(), latest.charts(), latest.attachments(),
                latest.steps(), latest.summaries());
        return new TestOutcome(outcome.testId(), outcome.className(), outcome.methodName(), outcome.displayName(),
                outcome.status(), outcome.failure(), outcome.startedAt(), outcome.duration(), metrics,
                outcome.thresholds());
    }

    static String breachMessage(List<ThresholdResult> breached, int total) {
        return breached.size() + " of " + total + " thresholds breached:\n" + breached.stream()
                .map(r -> "  " + r.line())
                .collect(Collectors.joining("\n"));
    }

    /**
     * The thresholds of the nearest {@code @PerfTest} and of the nearest {@code @Perf}, each found
     * directly on the method or on an annotation of its own (a capability, a {@code @NightlyPerf}).
     * {@code @PerfTest} carries {@code @Perf} itself, without thresholds, so a plain
     * {@code @PerfTest} is not read twice.
     */
    static List<Threshold> thresholds(Method method) {
        if (AnnotationSupport.isAnnotated(method, TestFactory.class)) {
            throw new ExtensionConfigurationException("@Perf on @TestFactory method " + method.getName()
                    + " cannot measure its dynamic tests, which run after the factory returned: use @Perf on a "
                    + "@ParameterizedTest, a @RepeatedTest or another @TestTemplate");
        }
        Optional<PerfTest> perfTest = AnnotationSupport.findAnnotation(method, PerfTest.class);
        Optional<Perf> perf = AnnotationSupport.findAnnotation(method, Perf.class);
        if (perfTest.isEmpty() && perf.isEmpty()) {
            throw new ExtensionConfigurationException(method + " is annotated with neither @Perf nor @PerfTest");
        }
        List<Threshold> thresholds = new ArrayList<>();
        perfTest.ifPresent(a -> thresholds.addAll(Threshold.parseAll("@PerfTest(thresholds)", a.thresholds())));
        perf.ifPresent(a -> thresholds.addAll(Threshold.parseAll("@Perf(thresholds)", a.thresholds())));
        return thresholds;
    }
}
