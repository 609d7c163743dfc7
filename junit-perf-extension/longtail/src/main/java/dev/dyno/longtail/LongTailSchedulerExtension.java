package dev.dyno.longtail;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.config.RunMode;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.Runtimes;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import dev.dyno.spi.Capability;
import dev.dyno.spi.CapabilityExtension;
import dev.dyno.view.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Behind {@link LongTailScheduler}: checks every attribute before anything starts, then runs the
 * experiment (rounds of every policy, the order alternating) under the test's timeout, and reports
 * it. On interruption the run in progress is stopped and the runs that ended are the result.
 */
class LongTailSchedulerExtension extends CapabilityExtension<LongTailScheduler, LongTailSchedulerExtension.Experiment,
        LongTailRun> {

    private static final Pattern POLICY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    /** Everything checked, ready to provision. */
    record Experiment(TaskSet taskSet, List<SchedulingPolicy> policies, int rounds, Duration timeout, int cores) {
    }

    LongTailSchedulerExtension() {
        super(LongTailScheduler.class, LongTailRun.class);
    }

    @Override
    protected Experiment validate(LongTailScheduler annotation, Capability capability) {
        Experiment experiment = validate(annotation, TaskSetRunner.availableCores(), capability.configuration().mode());
        capability.expect("thresholds", annotation.thresholds());
        for (SchedulingPolicy policy : experiment.policies()) {
            policy.unavailableReason().ifPresent(why -> capability.abort("policy " + policy.name() + " " + why));
        }
        experiment.taskSet().unrunnableReason().ifPresent(capability::abort);
        return experiment;
    }

    @Override
    protected LongTailRun run(Experiment experiment, Capability capability) {
        Path root;
        try {
            root = Files.createTempDirectory("dyno-longtail-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a directory for the tasks", e);
        }
        capability.closeWithTest(() -> TaskSetRunner.deleteQuietly(root));
        // tasks are local processes whatever the configured runtime: the policies schedule this machine's cores
        WorkloadRuntime runtime = capability.closeWithTest(Runtimes.open(
                capability.configuration().with(DynoConfiguration.RUNTIME_PROPERTY, "process")));
        // the first start of a JVM loads and compiles the runtime's code: keep that out of round 1
        runtime.start(WorkloadSpec.ofCommand("true").withName("warm-up").withReadiness(Readiness.exit())).close();
        TaskSetRunner runner = new TaskSetRunner(runtime, experiment.taskSet(), root, experiment.cores(),
                experiment.timeout());
        return run(experiment, runner, capability.recorder());
    }

    @Override
    protected void report(LongTailRun result, Capability capability) {
        LongTailReport.report(result, capability.recorder(), capability.resultsDirectory(),
                capability.testName() + "-" + result.taskSet().name());
    }

    /**
     * Every round runs every policy once, the order rotating; each run is a step of the report.
     * Interrupted (the test's timeout), the runner has stopped the run in progress, and the runs
     * that ended are the result.
     */
    static LongTailRun run(Experiment experiment, TaskSetRunner runner, Recorder recorder) {
        List<PolicyRun> runs = new ArrayList<>();
        List<SchedulingPolicy> policies = experiment.policies();
        String set = experiment.taskSet().name();
        rounds:
        for (int round = 0; round < experiment.rounds(); round++) {
            List<SchedulingPolicy> order = new ArrayList<>(policies);
            Collections.rotate(order, -(round % order.size())); // AB, BA, AB, … for two
            for (SchedulingPolicy policy : order) {
                if (Thread.currentThread().isInterrupted()) {
                    break rounds;
                }
                String step = "round " + (round + 1) + "/" + experiment.rounds() + ": " + policy.name();
                Instant start = Instant.now();
                PolicyRun run;
                try {
                    run = runner.run(policy, round, new PlanContext(experiment.cores(), learned(runs), round));
                } catch (RuntimeException e) {
                    recorder.step(Step.endingNow(step, start, false, Map.of("policy", policy.name(),
                            "error", String.valueOf(e.getMessage()))));
                    if (Thread.currentThread().isInterrupted()) {
                        break rounds;
                    }
                    throw e;
                }
                recorder.step(Step.endingNow(step, start, true, Map.of("policy", policy.name(),
                        "makespan", DurationText.format(run.makespan()),
                        "this run's CPU bound", DurationText.format(run.lowerBound()))));
                runs.add(run);
                System.out.printf(Locale.ROOT, "[dyno] long-tail %s %s makespan %s (this run's CPU bound %s)%n",
                        set, String.format(Locale.ROOT, "%-28s", step), DurationText.format(run.makespan()),
                        DurationText.format(run.lowerBound()));
            }
        }
        boolean complete = runs.size() == experiment.rounds() * policies.size();
        // an interrupted experiment reports the policies that ran, each with the runs that ended
        List<String> ran = policies.stream().map(SchedulingPolicy::name)
                .filter(name -> runs.stream().anyMatch(r -> r.policy().equals(name))).toList();
        LongTailRun result = new LongTailRun(experiment.taskSet(), experiment.cores(), ran, runs);
        if (!complete) {
            System.out.println("[dyno] long-tail " + set + " interrupted after " + runs.size() + " of "
                    + experiment.rounds() * policies.size() + " runs; the run in progress was stopped");
        }
        if (!runs.isEmpty()) {
            System.out.println("[dyno] long-tail " + set + " lower bound: " + result.lowerBoundMethod());
        }
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
