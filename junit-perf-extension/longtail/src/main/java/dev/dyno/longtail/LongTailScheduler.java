package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.PerfTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @LongTailScheduler} runs a long-tail task set (N short and M long commands, all in
 * parallel) under a default and a long-tail-aware scheduling policy, interleaved and repeated,
 * and hands the test a {@link LongTailRun}: makespans, per-task runtimes, the lower bound
 * max(longest task, total CPU work / cores), skew, long-tail detection, and each policy's
 * improvement over {@link BuiltInPolicy#DEFAULT} with a confidence interval. It is a {@link PerfTest}:
 * a {@code Recorder} parameter, {@link #thresholds()} and reports come with it.
 *
 * <pre>{@code
 * import static dev.dyno.longtail.BuiltInPolicy.DEFAULT;
 * import static dev.dyno.longtail.BuiltInPolicy.LONG_TAIL_AWARE;
 *
 * class CtestSuiteTest {
 *     @LongTailScheduler(cases = "workloads/longtail/dyno-cases-2cpu.json", testCase = "ctest_suite",
 *             shortTasks = 8, longTasks = 1, policies = {DEFAULT, LONG_TAIL_AWARE}, repetitions = 3,
 *             thresholds = "longtail.long-tail-aware.improvement >= 20%")
 *     void slowIntegrationTestFirst(LongTailRun run) {
 *         assertThat(run.ratioToRunLowerBound(LONG_TAIL_AWARE)).isLessThanOrEqualTo(1.10);
 *         assertThat(run.improvement(LONG_TAIL_AWARE).point()).isGreaterThanOrEqualTo(0.20);
 *     }
 * }
 * }</pre>
 *
 * <h2>Task sets</h2>
 * Either from the annotation ({@link #shortCommand()}, {@link #longCommand()}, {@link #setup()},
 * {@link #cleanup()}), or a case of a file in the format of schedcp's
 * {@code test_cases_parallel.json} ({@link #cases()}, {@link #testCase()}), read as is. Every
 * task runs in a fresh directory of its own: its setup commands first (untimed, each with
 * {@code bash -c}, {@code $ORIGINAL_CWD} set to {@link #originalCwd()}), then the timed run, then
 * its cleanup commands. {@code $DYNO_SHARED_DIR}, in every command, is one directory for the whole
 * experiment, for what every run would otherwise make again, such as a large input file made once
 * and linked into each task's directory. A case whose dependencies or {@code $ORIGINAL_CWD/assets} files are
 * missing here is skipped with the reason (failed with {@code dyno.skips = fail}; see
 * {@link dev.dyno.config.DynoAssumptions}).
 *
 * <h2>Policies</h2>
 * {@link BuiltInPolicy#DEFAULT} (all at once under the OS scheduler) is the baseline and must be listed;
 * {@link BuiltInPolicy#LONG_TAIL_AWARE} identifies long tasks by name ({@link #longTaskPattern()}) or by
 * learned runtime ({@link #identifyLongTasksBy()}), starts them first with priority; add your own
 * with {@link #customPolicies()}. A policy that cannot run here ({@link BuiltInPolicy#SCHED_EXT} on a
 * kernel without sched_ext) skips the test with the reason.
 *
 * <h2>Timeouts</h2>
 * {@link #timeout()} bounds one run of one policy. The whole experiment runs inside the test
 * method's invocation, so JUnit's {@code @Timeout} bounds all of it: at that timeout the run in
 * progress is stopped, the runs that ended are reported, and the test fails with the timeout.
 *
 * <h2>Metrics</h2>
 * Per policy {@code P}: timers {@code longtail.P.makespan} (one value per run),
 * {@code longtail.P.short_completion}, {@code longtail.P.long_completion}, {@code longtail.P.task};
 * gauges {@code longtail.P.improvement} (fraction, with {@code .lower} and {@code .upper}),
 * {@code longtail.P.vs_lower_bound}, {@code longtail.P.vs_run_lower_bound}, {@code longtail.P.skew_ratio}, {@code longtail.P.imbalance_ratio},
 * {@code longtail.P.parallel_efficiency}, {@code longtail.P.long_tail_detected}, timer
 * {@code longtail.P.run_lower_bound} (each run's bound from its own CPU times); timer
 * {@code longtail.lower_bound} (one value: the bound ratios use, from each task's least CPU time
 * over all runs of all policies, so the policy judged cannot inflate it; attribute
 * {@code longtail.lower_bound.method} says how it was obtained); gauge {@code longtail.noise}
 * (the share of CPU that went elsewhere).
 *
 * @since 0.1
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@PerfTest
@ExtendWith(LongTailSchedulerExtension.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface LongTailScheduler {

    /**
     * A file in the format of schedcp's {@code test_cases_parallel.json}, relative to the working
     * directory or any directory above it (so {@code "workloads/longtail/schedcp-test-cases-parallel.json"}
     * works from a module). Give {@link #testCase()} with it. Empty: the task set is the annotation's.
     */
    String cases() default "";

    /** The {@code id} of the case in {@link #cases()}, such as {@code "ctest_suite"}. */
    String testCase() default "";

    /** How many short tasks (schedcp's {@code small_commands}); the guide's 39 by default. */
    int shortTasks() default 39;

    /** How many long tasks (schedcp's {@code large_commands}); the guide's 1 by default. */
    int longTasks() default 1;

    /**
     * Whether {@link #shortTasks()} and {@link #longTasks()} are per CPU: {@code shortTasks = 4,
     * perCore = true} gives 8 short tasks on 2 cores and 16 on 4.
     */
    boolean perCore() default false;

    /** The short tasks' command, run with {@code bash -c} in each task's directory. */
    String shortCommand() default "";

    /** The long tasks' command, run with {@code bash -c} in each task's directory. */
    String longCommand() default "";

    /** Commands run before every task in its directory, untimed (annotation task sets). */
    String[] setup() default {};

    /** Commands run after the tasks in each task's directory (annotation task sets). */
    String[] cleanup() default {};

    /**
     * What {@code $ORIGINAL_CWD} is in every command, relative like {@link #cases()}. Empty: the
     * cases file's directory, or the working directory for an annotation task set.
     */
    String originalCwd() default "";

    /** The built-in policies to compare; {@link BuiltInPolicy#DEFAULT} must be among them. */
    BuiltInPolicy[] policies() default {BuiltInPolicy.DEFAULT, BuiltInPolicy.LONG_TAIL_AWARE};

    /** Policies of your own, each a {@link SchedulingPolicy} with a public no-argument constructor. */
    Class<? extends SchedulingPolicy>[] customPolicies() default {};

    /** The regular expression that marks a task's program as long, for {@link BuiltInPolicy#LONG_TAIL_AWARE}. */
    String longTaskPattern() default LongTailAwarePolicy.DEFAULT_PATTERN;

    /** How {@link BuiltInPolicy#LONG_TAIL_AWARE} tells long tasks apart. */
    LongTailAwarePolicy.Identification identifyLongTasksBy() default LongTailAwarePolicy.Identification.NAME;

    /** Rounds in CI mode; each round runs every policy once, the order alternating. At least 2. */
    int repetitions() default 3;

    /** Rounds in full mode ({@code -Pperf}, {@code dyno.mode=full}). At least 2. */
    int fullRepetitions() default 10;

    /** How long one run (all tasks of one policy) may take before its tasks are stopped and the test fails. */
    String timeout() default "2m";

    /** The command that loads a BPF scheduler for {@link BuiltInPolicy#SCHED_EXT}, run with {@code bash -c}. */
    String schedExtLoader() default "";

    /** Thresholds on the metrics above, as in {@link PerfTest#thresholds()}. */
    String[] thresholds() default {};
}
