package dev.dyno;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dyno.SkipSummary;
import dev.dyno.SkipSummary.Skipped;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.report.RunSummary;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Collects every test of the run that was aborted (skipped with a reason: an assumption, a Dyno
 * capability that cannot run here), of any kind, not only {@code @PerfTest}s, and at the end of
 * the run prints how many with their reasons and writes them to {@code skipped.json} in the results
 * directory ({@code dyno.results.dir}). Tests that are disabled ({@code @Disabled},
 * {@code @EnabledIf}, excluded tags) are not listed: they claim nothing. It prints only when a test
 * was aborted or the run has {@code @PerfTest}s, so that a project without any stays quiet.
 *
 * <p>Registered through {@code META-INF/services}; the launcher that runs the tests (surefire's,
 * an IDE's) loads it.
 */
@API(status = INTERNAL, since = "0.2")
public final class SkippedTestsListener implements TestExecutionListener {

    private static final TestTag PERF = TestTag.create(PerfTest.TAG);
    // what JUnit's Assumptions.assumeTrue puts before the reason
    private static final String JUNIT_PREFIX = "Assumption failed: ";

    private final List<Skipped> skipped = new CopyOnWriteArrayList<>();
    private volatile TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        skipped.clear();
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(Throwable::getMessage).filter(m -> !m.isBlank())
                    .map(m -> m.startsWith(JUNIT_PREFIX) ? m.substring(JUNIT_PREFIX.length()) : m)
                    .orElse("(no reason given)");
            skipped.add(new Skipped(identifier.getUniqueId(), name(identifier), identifier.getDisplayName(), reason));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        try {
            if (skipped.isEmpty() && testPlan.countTestIdentifiers(id -> id.getTags().contains(PERF)) == 0) {
                return;
            }
            SkipSummary summary = new SkipSummary(skipped.stream().sorted(Comparator.comparing(Skipped::name)).toList());
            Path file = summary.write(resultsDirectory(testPlan));
            System.out.print(summary.text());
            if (!skipped.isEmpty()) {
                System.out.println("Skipped tests: " + file);
            }
            writeRunSummary(testPlan, summary);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("[dyno] could not report the skipped tests: " + e);
        }
    }

    /**
     * The run's summary, in Markdown: to the results directory always, to the CI job's summary page
     * where GitHub Actions names one ({@code GITHUB_STEP_SUMMARY}), and to every other
     * {@link RunSummary.Sink} on the class path (the Allure module's).
     */
    private static void writeRunSummary(TestPlan testPlan, SkipSummary skips) {
        Set<String> ids = new HashSet<>();
        testPlan.getRoots().forEach(root -> testPlan.getDescendants(root).forEach(t -> ids.add(t.getUniqueId())));
        RunSummary run = new RunSummary(RunSummary.Collector.drain(ids::contains),
                skips.skipped().stream().map(s -> s.name() + ": " + s.reason()).toList());
        String stepSummary = System.getenv("GITHUB_STEP_SUMMARY");
        Path file = run.write(resultsDirectory(testPlan), stepSummary == null || stepSummary.isBlank() ? null
                : Path.of(stepSummary));
        System.out.println("Run summary: " + file);
        for (RunSummary.Sink sink : ServiceLoader.load(RunSummary.Sink.class, RunSummary.class.getClassLoader())) {
            try {
                sink.write(run);
            } catch (RuntimeException | LinkageError e) {
                System.err.println("[dyno] " + sink.getClass().getSimpleName() + " could not write the run summary: " + e);
            }
        }
    }

    /** {@code SimpleClassName.method}, with the invocation's name when it is one of several of a method. */
    private String name(TestIdentifier identifier) {
        Optional<TestSource> source = identifier.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource method) {
            String name = simpleName(method.getClassName()) + "." + method.getMethodName();
            boolean invocation = plan != null && plan.getParent(identifier).flatMap(TestIdentifier::getSource)
                    .filter(method::equals).isPresent();
            return invocation ? name + " " + identifier.getDisplayName() : name;
        }
        if (source.isPresent() && source.get() instanceof ClassSource type) {
            return simpleName(type.getClassName()) + " (every test in it)";
        }
        return identifier.getDisplayName();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
    }

    private static Path resultsDirectory(TestPlan testPlan) {
        Optional<String> configured = testPlan.getConfigurationParameters().get(DynoConfiguration.RESULTS_DIR_PROPERTY);
        return DynoConfiguration.of(configured.map(dir -> Map.of(DynoConfiguration.RESULTS_DIR_PROPERTY, dir))
                .orElse(Map.of())).resultsDirectory();
    }
}
