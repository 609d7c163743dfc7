package dev.dyno.longtail;

import dev.dyno.spi.ClosedWithTest;
import dev.dyno.metrics.DurationText;
import dev.dyno.config.DynoAssumptions;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.spi.PerfContext;
import dev.dyno.metrics.Recorder;
import dev.dyno.config.RunMode;
import dev.dyno.runtime.Runtimes;
import dev.dyno.runtime.WorkloadRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.support.TypeBasedParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Behind {@link LongTailScheduler}: checks every attribute in {@code beforeEach}, runs the
 * experiment in {@code beforeTestExecution} (rounds of every policy, the order alternating),
 * records and reports it, and resolves the {@link LongTailRun}. The process runtime and the
 * tasks' directories live in the method's store and are closed with it.
 */
class LongTailSchedulerExtension extends TypeBasedParameterResolver<LongTailRun>
        implements BeforeEachCallback, BeforeTestExecutionCallback {

    private static final Namespace NAMESPACE = Namespace.create(LongTailSchedulerExtension.class);
    private static final String PLAN = "plan";
    private static final String RESOURCES = "resources";
    private static final String RESULT = "result";
    private static final Pattern POLICY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    /** Everything checked, ready to provision. */
    record Experiment(TaskSet taskSet, List<SchedulingPolicy> policies, int rounds, Duration timeout, int cores) {
    }

    /** What the experiment holds while it runs: closed with the test. */
    static final class Resources implements ClosedWithTest {
        private final WorkloadRuntime runtime;
        private final Path root;

        Resources(WorkloadRuntime runtime, Path root) {
            this.runtime = runtime;
            this.root = root;
        }

        @Override
        public void close() {
            try {
                runtime.close();
            } finally {
                TaskSetRunner.deleteQuietly(root);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LongTailScheduler annotation = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(),
                LongTailScheduler.class).orElseThrow(() -> new ExtensionConfigurationException(
                "LongTailSchedulerExtension needs @LongTailScheduler on " + context.getRequiredTestMethod()));
        Experiment experiment = validate(annotation, TaskSetRunner.availableCores(), DynoConfiguration.of(context).mode());
        PerfContext.expect(context, "@LongTailScheduler(thresholds)", annotation.thresholds());
        for (SchedulingPolicy policy : experiment.policies()) {
            Optional<String> why = policy.unavailableReason();
            DynoAssumptions.assumeThat(why.isEmpty(), () -> "policy " + policy.name() + " " + why.orElse(""));
        }
        Optional<String> unrunnable = experiment.taskSet().unrunnableReason();
        DynoAssumptions.assumeThat(unrunnable.isEmpty(), unrunnable::get);
        context.getStore(NAMESPACE).put(PLAN, experiment);
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Experiment experiment = store.get(PLAN, Experiment.class);
        Recorder recorder = PerfContext.recorder(context);
        DynoConfiguration configuration = DynoConfiguration.of(context);
        Resources resources = store.getOrComputeIfAbsent(RESOURCES, key -> open(configuration), Resources.class);
        LongTailRun result = run(experiment, resources, recorder);
        store.put(RESULT, result);
        LongTailReport.report(result, recorder, configuration.resultsDirectory(), context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName() + "-" + experiment.taskSet().name());
    }

    @Override
    public LongTailRun resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        LongTailRun result = context.getStore(NAMESPACE).get(RESULT, LongTailRun.class);
        if (result == null) {
            throw new ParameterResolutionException("a LongTailRun parameter needs @LongTailScheduler on the method "
                    + context.getRequiredTestMethod().getName());
        }
        return result;
    }

    private static Resources open(DynoConfiguration configuration) {
        // tasks are local processes whatever the configured runtime: the policies schedule this machine's cores
        WorkloadRuntime runtime = Runtimes.open(configuration.with(DynoConfiguration.RUNTIME_PROPERTY, "process"));
        try {
            // the first start of a JVM loads and compiles the runtime's code: keep that out of round 1
            runtime.start(dev.dyno.runtime.WorkloadSpec.ofCommand("true").withName("warm-up")
                    .withReadiness(dev.dyno.runtime.Readiness.exit())).close();
            return new Resources(runtime, Files.createTempDirectory("dyno-longtail-"));
        } catch (IOException e) {
            runtime.close();
            throw new UncheckedIOException("could not create a directory for the tasks", e);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    static LongTailRun run(Experiment experiment, Resources resources, Recorder recorder) {
        TaskSetRunner runner = new TaskSetRunner(resources.runtime, experiment.taskSet(), resources.root,
                experiment.cores(), experiment.timeout());
        List<PolicyRun> runs = new ArrayList<>();
        List<SchedulingPolicy> policies = experiment.policies();
        for (int round = 0; round < experiment.rounds(); round++) {
            List<SchedulingPolicy> order = new ArrayList<>(policies);
            java.util.Collections.rotate(order, -(round % order.size())); // AB, BA, AB, … for two
            for (SchedulingPolicy policy : order) {
                PolicyRun run = runner.run(policy, round, new PlanContext(experiment.cores(), learned(runs), round));
                runs.add(run);
                System.out.printf(Locale.ROOT, "[dyno] long-tail %s round %d/%d %-16s makespan %s (this run's CPU bound %s)%n",
                        experiment.taskSet().name(), round + 1, experiment.rounds(), policy.name(),
                        DurationText.format(run.makespan()), DurationText.format(run.lowerBound()));
            }
        }
        LongTailRun result = new LongTailRun(experiment.taskSet(), experiment.cores(),
                policies.stream().map(SchedulingPolicy::name).toList(), runs);
        System.out.println("[dyno] long-tail " + experiment.taskSet().name() + " lower bound: " + result.lowerBoundMethod());
        return result;
    }

    /** Each task's median CPU time over the runs so far. */
    private static Map<String, Duration> learned(List<PolicyRun> runs) {
        Map<String, List<Duration>> byTask = new HashMap<>();
        for (PolicyRun run : runs) {
            for (TaskRecord task : run.tasks()) {
                byTask.computeIfAbsent(task.id(), k -> new ArrayList<>()).add(task.cpuTime());
            }
        }
        Map<String, Duration> medians = new HashMap<>();
        byTask.forEach((id, values) -> medians.put(id, Duration.ofNanos(Math.round(MakespanMath.median(values)))));
        return medians;
    }

    /** Checks every attribute and builds the experiment; nothing is started. */
    static Experiment validate(LongTailScheduler a, int cores, RunMode mode) {
        if (a.shortTasks() < 0) {
            throw invalid("shortTasks", a.shortTasks(), "a whole number, 0 or more (the guide uses 39)");
        }
        if (a.longTasks() < 0) {
            throw invalid("longTasks", a.longTasks(), "a whole number, 0 or more (the guide uses 1)");
        }
        int scale = a.perCore() ? cores : 1;
        int shortTasks = a.shortTasks() * scale;
        int longTasks = a.longTasks() * scale;
        if (shortTasks + longTasks == 0) {
            throw new ExtensionConfigurationException("@LongTailScheduler(shortTasks, longTasks) values 0 and 0 make an "
                    + "empty task set: give at least one short or long task, such as shortTasks = 8, longTasks = 1");
        }
        if (a.repetitions() < 2) {
            throw invalid("repetitions", a.repetitions(), "2 or more: a confidence interval needs two runs of each policy");
        }
        if (a.fullRepetitions() < 2) {
            throw invalid("fullRepetitions", a.fullRepetitions(), "2 or more: a confidence interval needs two runs of "
                    + "each policy");
        }
        Duration timeout = DurationText.parsePositive("@LongTailScheduler(timeout)", a.timeout());
        Pattern longPattern;
        try {
            longPattern = Pattern.compile(a.longTaskPattern());
        } catch (PatternSyntaxException e) {
            throw invalid("longTaskPattern", a.longTaskPattern(), "a Java regular expression, such as \""
                    + LongTailAwarePolicy.DEFAULT_PATTERN + "\" (" + e.getDescription() + ")");
        }
        List<SchedulingPolicy> policies = policies(a, longPattern);
        TaskSet taskSet = taskSet(a, shortTasks, longTasks);
        return new Experiment(taskSet, policies, mode.pick(a.repetitions(), a.fullRepetitions()), timeout, cores);
    }

    private static List<SchedulingPolicy> policies(LongTailScheduler a, Pattern longPattern) {
        List<BuiltInPolicy> builtIn = Arrays.asList(a.policies());
        if (!builtIn.contains(BuiltInPolicy.DEFAULT)) {
            throw invalid("policies", builtIn, "a list that includes DEFAULT: every policy's improvement is measured "
                    + "against it, such as {DEFAULT, LONG_TAIL_AWARE}");
        }
        if (new LinkedHashSet<>(builtIn).size() != builtIn.size()) {
            throw invalid("policies", builtIn, "each policy at most once");
        }
        List<SchedulingPolicy> policies = new ArrayList<>();
        for (BuiltInPolicy policy : builtIn) {
            policies.add(switch (policy) {
                case DEFAULT -> new DefaultPolicy();
                case LONG_TAIL_AWARE -> new LongTailAwarePolicy(longPattern, a.identifyLongTasksBy());
                case SCHED_EXT -> new SchedExtPolicy(a.schedExtLoader());
            });
        }
        for (Class<? extends SchedulingPolicy> type : a.customPolicies()) {
            policies.add(instantiate(type));
        }
        Set<String> names = new LinkedHashSet<>();
        for (SchedulingPolicy policy : policies) {
            String name = policy.name();
            if (name == null || !POLICY_NAME.matcher(name).matches()) {
                throw invalid("customPolicies", policy.getClass().getName(), "a policy whose name() is 1 to 40 lower-case "
                        + "letters, digits or '-', such as \"shortest-first\"; this one's is \"" + name + "\"");
            }
            if (!names.add(name)) {
                throw invalid("customPolicies", policy.getClass().getName(), "policies with different names; \"" + name
                        + "\" is taken");
            }
        }
        return policies;
    }

    private static SchedulingPolicy instantiate(Class<? extends SchedulingPolicy> type) {
        try {
            Constructor<? extends SchedulingPolicy> constructor = type.getDeclaredConstructor();
            if (Modifier.isAbstract(type.getModifiers())) {
                throw new NoSuchMethodException("abstract");
            }
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw invalid("customPolicies", type.getName(), "a concrete SchedulingPolicy with a no-argument constructor ("
                    + e + ")");
        }
    }

    private static TaskSet taskSet(LongTailScheduler a, int shortTasks, int longTasks) {
        if (!a.cases().isBlank() || !a.testCase().isBlank()) {
            if (a.cases().isBlank() || a.testCase().isBlank()) {
                throw new ExtensionConfigurationException("@LongTailScheduler(cases, testCase) values \"" + a.cases()
                        + "\" and \"" + a.testCase() + "\": give both, a schedcp cases file and the id of one of its "
                        + "cases, such as cases = \"workloads/longtail/schedcp-test-cases-parallel.json\", "
                        + "testCase = \"ctest_suite\"");
            }
            for (String attribute : List.of("shortCommand", "longCommand")) {
                String value = attribute.equals("shortCommand") ? a.shortCommand() : a.longCommand();
                if (!value.isBlank()) {
                    throw invalid(attribute, value, "empty when a task set comes from cases: the case gives the commands");
                }
            }
            if (a.setup().length > 0 || a.cleanup().length > 0) {
                throw invalid(a.setup().length > 0 ? "setup" : "cleanup",
                        List.of(a.setup().length > 0 ? a.setup() : a.cleanup()),
                        "empty when a task set comes from cases: the case gives its setup and cleanup");
            }
            Path file = locate("cases", a.cases(), false);
            try {
                TaskSet set = SchedcpCases.read(file).taskSet(a.testCase(), shortTasks, longTasks);
                return a.originalCwd().isBlank() ? set : set.withOriginalCwd(locate("originalCwd", a.originalCwd(), true));
            } catch (InvalidTaskSetException e) {
                throw new ExtensionConfigurationException("@LongTailScheduler(cases = \"" + a.cases() + "\", testCase = \""
                        + a.testCase() + "\"): " + e.getMessage(), e);
            }
        }
        if (shortTasks > 0 && a.shortCommand().isBlank()) {
            throw invalid("shortCommand", a.shortCommand(), "a shell command for the " + shortTasks + " short tasks, "
                    + "such as \"./short\" (or cases and testCase for a schedcp case, or shortTasks = 0)");
        }
        if (longTasks > 0 && a.longCommand().isBlank()) {
            throw invalid("longCommand", a.longCommand(), "a shell command for the " + longTasks + " long tasks, "
                    + "such as \"./long\" (or cases and testCase for a schedcp case, or longTasks = 0)");
        }
        TaskSet set = TaskSet.of("tasks", shortTasks, a.shortCommand(), List.of(a.setup()), longTasks, a.longCommand(),
                List.of(a.setup()), List.of(a.cleanup()));
        return set.withOriginalCwd(a.originalCwd().isBlank() ? Path.of("") : locate("originalCwd", a.originalCwd(), true));
    }

    /** A path relative to the working directory or one of the directories above it. */
    static Path locate(String attribute, String value, boolean directory) {
        Path given = Path.of(value);
        List<Path> tried = new ArrayList<>();
        if (given.isAbsolute()) {
            tried.add(given);
        } else {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                tried.add(dir.resolve(given).normalize());
            }
        }
        for (Path candidate : tried) {
            if (directory ? Files.isDirectory(candidate) : Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw invalid(attribute, value, "an existing " + (directory ? "directory" : "file") + ", absolute or relative to "
                + "the working directory or a directory above it; tried " + tried.get(0)
                + (tried.size() > 1 ? " and " + (tried.size() - 1) + " directories above" : ""));
    }

    private static ExtensionConfigurationException invalid(String attribute, Object value, String allowed) {
        String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return new ExtensionConfigurationException("@LongTailScheduler(" + attribute + ") value " + shown
                + " is not allowed: expected " + allowed);
    }
}
