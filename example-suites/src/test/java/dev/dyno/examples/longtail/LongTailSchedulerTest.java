package dev.dyno.examples.longtail;

import static dev.dyno.longtail.BuiltInPolicy.DEFAULT;
import static dev.dyno.longtail.BuiltInPolicy.LONG_TAIL_AWARE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.config.DynoAssumptions;
import dev.dyno.config.RunMode;
import dev.dyno.longtail.LongTailAwarePolicy;
import dev.dyno.longtail.LongTailRun;
import dev.dyno.longtail.LongTailScheduler;
import dev.dyno.longtail.PolicyRun;
import dev.dyno.longtail.TaskRecord;
import dev.dyno.longtail.TaskSpec;
import dev.dyno.metrics.DurationText;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The long-tail scheduler guide as a JUnit class: schedcp's task sets, run under the OS
 * scheduler (DEFAULT: every task at once under CFS) and under a long-tail-aware policy (the long
 * task identified by name, started first with the largest CPU weight and a lower nice value),
 * interleaved and repeated, and compared with the lower bound max(longest task, total work / cores).
 *
 * <p>The guide's 39 + 1 layout was made for 4 to 8 CPUs: on this project's 2-core machines the
 * total work bounds the makespan and no policy can do much. So the CI cases are schedcp's own,
 * in its format ({@code workloads/longtail/dyno-cases-2cpu.json}), sized so that the long task is
 * about as long as all the work divided by the cores: the size at which the long task matters.
 * The cases that need schedcp's own programs are read from schedcp's file as is and tagged
 * {@value #SCHEDCP_PROGRAMS}, which the build excludes.
 *
 * <p>Timing claims are checked only on a quiet machine: on a busy one they are skipped with the
 * measured numbers, or fail with them where {@code dyno.skips = fail} (CI).
 */
@DisplayName("Long-tail scheduling (guide: long-tail-scheduler-testing.md)")
class LongTailSchedulerTest {

    // tag::ctest-suite[]
    static final String SIZED = "workloads/longtail/dyno-cases-2cpu.json";
    static final String SCHEDCP = "workloads/longtail/schedcp-test-cases-parallel.json";

    /** The target on 2 cores: within 10 % of the lower bound of the work as it ran… */
    static final double MAX_RATIO_TO_LOWER_BOUND = 1.10;
    /** …and at least 20 % shorter than DEFAULT (schedcp's published mean is 19 %). */
    static final double MIN_IMPROVEMENT = 0.20;
    // Four rounds, not three: on a shared runner one round in a few runs slow (the same long task once used 25 %
    // more CPU than in the other rounds), and three pairs leave a t interval too wide to survive one such round.

    @LongTailScheduler(cases = SIZED, testCase = "ctest_suite", shortTasks = 8, longTasks = 1,
            policies = {DEFAULT, LONG_TAIL_AWARE}, repetitions = 4, fullRepetitions = 10, timeout = "60s")
    @DisplayName("ctest_suite: the slow integration test first cuts the makespan to the lower bound")
    void ctestSuite(LongTailRun run) {
        assertMeetsTarget(run);
    }
    // end::ctest-suite[]

    @LongTailScheduler(cases = SIZED, testCase = "compression", shortTasks = 8, longTasks = 1,
            policies = {DEFAULT, LONG_TAIL_AWARE}, repetitions = 4, fullRepetitions = 10, timeout = "60s")
    @DisplayName("compression: gzip -9 of the large file first cuts the makespan to the lower bound")
    void compression(LongTailRun run) {
        assertMeetsTarget(run);
    }

    @LongTailScheduler(cases = SIZED, testCase = "file_checksum", shortTasks = 8, longTasks = 1,
            policies = {DEFAULT, LONG_TAIL_AWARE}, repetitions = 4, fullRepetitions = 10, timeout = "60s")
    @DisplayName("file_checksum: hashing the large file first cuts the makespan to the lower bound")
    void fileChecksum(LongTailRun run) {
        // schedcp saw 5 % here with 39 + 1 on more CPUs; sized so the long task matters, it is the CPU-bound
        // SHA-256 of a file in the page cache, and the same claim holds.
        assertMeetsTarget(run);
    }

    // tag::learned-runtimes[]
    @LongTailScheduler(cases = SIZED, testCase = "ctest_suite", shortTasks = 8, longTasks = 1,
            identifyLongTasksBy = LongTailAwarePolicy.Identification.LEARNED_RUNTIME, longTaskPattern = "^$",
            policies = {DEFAULT, LONG_TAIL_AWARE}, repetitions = 3, fullRepetitions = 10, timeout = "60s")
    @DisplayName("ctest_suite: a policy that learns runtimes (no names) finds the long task from round 2 on")
    void learnedRuntimes(LongTailRun run) {
        // Round 1 runs DEFAULT first, so every long-tail-aware run has a DEFAULT run to learn from.
        for (PolicyRun aware : run.runs(LONG_TAIL_AWARE)) {
            assertThat(aware.tasks().get(0).id()).as("first launch in round %d", aware.round() + 1).isEqualTo("long-1");
            assertThat(aware.task("long-1").reason()).startsWith("long: ");
        }
        assumeQuiet(run);
        assertThat(run.improvement(LONG_TAIL_AWARE).point()).as(summary(run)).isGreaterThanOrEqualTo(MIN_IMPROVEMENT);
    }
    // end::learned-runtimes[]

    // --- schedcp's own file, read as is. These cases run schedcp's own programs (and ffmpeg, libgit2,
    // pandas), which this repository does not ship: tagged, and excluded by the build like the CPU boost
    // guide's registry-images cases; -DexcludedGroups= (empty) runs them, skipped or failed with the reason.

    /** The tag of the cases that need schedcp's own programs. */
    static final String SCHEDCP_PROGRAMS = "schedcp-programs";

    @Tag(SCHEDCP_PROGRAMS)
    @LongTailScheduler(cases = SCHEDCP, testCase = "video_transcode", shortTasks = 8, longTasks = 1)
    @DisplayName("video_transcode (needs ffmpeg, libav*-dev and schedcp's video_transcode.cpp)")
    void videoTranscode(LongTailRun run) {
        assertMeetsTarget(run);
    }

    @Tag(SCHEDCP_PROGRAMS)
    @LongTailScheduler(cases = SCHEDCP, testCase = "git_add_different", shortTasks = 8, longTasks = 1)
    @DisplayName("git_add_different (needs libgit2-dev and schedcp's git_add_libgit2.cpp)")
    void gitAddDifferent(LongTailRun run) {
        assertMeetsTarget(run);
    }

    @Tag(SCHEDCP_PROGRAMS)
    @LongTailScheduler(cases = SCHEDCP, testCase = "hotkey_aggregation", shortTasks = 8, longTasks = 1)
    @DisplayName("hotkey_aggregation (needs schedcp's spark_skew_*.py)")
    void hotkeyAggregation(LongTailRun run) {
        assertMeetsTarget(run);
    }

    @Tag(SCHEDCP_PROGRAMS)
    @LongTailScheduler(cases = SCHEDCP, testCase = "ddos_log_analysis", shortTasks = 8, longTasks = 1)
    @DisplayName("ddos_log_analysis (needs python3-pandas and schedcp's pandas_etl_*.py)")
    void ddosLogAnalysis(LongTailRun run) {
        assertMeetsTarget(run);
    }

    @Tag(SCHEDCP_PROGRAMS)
    @LongTailScheduler(cases = SCHEDCP, testCase = "viral_product_analytics", shortTasks = 8, longTasks = 1)
    @DisplayName("viral_product_analytics (needs python3-pandas and schedcp's flink_join_*.py)")
    void viralProductAnalytics(LongTailRun run) {
        assertMeetsTarget(run);
    }

    // --- full mode (-Pperf): the guide's own 39 + 1, as schedcp's file has them

    @EnabledIf(value = "fullMode", disabledReason = "the guide's own sizes run with dyno.mode=full (-Pperf)")
    @LongTailScheduler(cases = SCHEDCP, testCase = "ctest_suite", repetitions = 3, fullRepetitions = 3, timeout = "3m")
    @DisplayName("ctest_suite as schedcp ships it, 39 + 1 (full mode): the long task first still pays on 2 cores")
    void ctestSuiteAsShipped(LongTailRun run) {
        // With Dyno's short.c and long.c, 39 × 0.5 s and 20 s: the long task and the total work over
        // 2 cores are about equal, so the long task still matters.
        assertMeetsTarget(run);
    }

    @EnabledIf(value = "fullMode", disabledReason = "the guide's own sizes run with dyno.mode=full (-Pperf)")
    @LongTailScheduler(cases = SCHEDCP, testCase = "compression", repetitions = 2, fullRepetitions = 2, timeout = "5m")
    @DisplayName("compression as schedcp ships it, 39 + 1 (full mode): on 2 cores the total work bounds the makespan")
    void compressionAsShipped(LongTailRun run) {
        // 39 × 1.7 s + 12 s of gzip on 2 cores: the long task does not matter, and the report says so.
        assertThat(run.boundedByLongestTask()).as(summary(run)).isFalse();
        assumeQuiet(run);
        assertThat(run.ratioToRunLowerBound(DEFAULT)).as(summary(run)).isLessThan(1.15);
    }

    // tag::target[]
    private static void assertMeetsTarget(LongTailRun run) {
        assertFirstLaunchIsLong(run);
        assumeQuiet(run);
        assertDetected(run);
        // The schedule, against each run's own bound: the same work costs more CPU when both CPUs are busy, as they
        // are in any good schedule, so the least CPU a task ever used (alone, at the end of a DEFAULT run) is out of
        // reach by an amount that changes with the host. The clock judges the makespan below.
        assertThat(run.ratioToRunLowerBound(LONG_TAIL_AWARE)).as(summary(run)).isLessThanOrEqualTo(MAX_RATIO_TO_LOWER_BOUND);
        // A significant improvement of 20 %, or of what DEFAULT left to win where that is less: a DEFAULT
        // run only 1.3× the best reachable makespan leaves 23 %, and within 10 % of it then means 16 % or more.
        double defaultToBound = run.makespan(DEFAULT).toNanos() / (double) run.runLowerBound(LONG_TAIL_AWARE).toNanos();
        double target = Math.min(MIN_IMPROVEMENT, 1 - MAX_RATIO_TO_LOWER_BOUND / defaultToBound);
        assertThat(run.improvement(LONG_TAIL_AWARE).lower()).as(summary(run)).isPositive();
        assertThat(run.improvement(LONG_TAIL_AWARE).point()).as(summary(run)).isGreaterThanOrEqualTo(target);
    }
    // end::target[]

    private static void assertFirstLaunchIsLong(LongTailRun run) {
        for (PolicyRun aware : run.runs(LONG_TAIL_AWARE)) {
            TaskRecord first = aware.tasks().get(0);
            assertThat(first.kind()).as("first launch under long-tail-aware").isEqualTo(TaskSpec.Kind.LONG);
            assertThat(first.nice()).as("nice of the long task, from /proc").isLessThan(aware.tasks().get(1).nice());
        }
    }

    /**
     * Timing claims mean something only on a quiet machine: when something else (a parallel
     * build, a neighbour, the hypervisor's steal) took more than 15 % of the CPU during the runs,
     * they are not checked, and the test is skipped with the measured numbers instead (failed with
     * them where {@code dyno.skips = fail}).
     */
    private static void assumeQuiet(LongTailRun run) {
        DynoAssumptions.assumeThat(run.quiet(), () -> String.format(Locale.ROOT, "machine busy: %.0f %% of the CPU "
                + "went elsewhere during the runs (at most %.0f %% allowed, steal included), so the timing claims "
                + "are not checked; measured %s", run.noise() * 100, LongTailRun.QUIET_NOISE * 100, summary(run)));
    }

    private static void assertDetected(LongTailRun run) {
        PolicyRun typicalDefault = run.representative(DEFAULT.policyName());
        assertThat(typicalDefault.longTailDetected()).as("long tail under DEFAULT: " + summary(run)).isTrue();
    }

    static boolean fullMode() {
        return RunMode.current() == RunMode.FULL;
    }

    private static String summary(LongTailRun run) {
        return String.format(Locale.ROOT, "%s: default %s, long-tail-aware %s (%.2f× its runs' own bound %s; shortest "
                        + "%s, %.2f× the least-CPU bound %s), improvement %s, CPU elsewhere %.0f %%", run.taskSet().name(),
                DurationText.format(run.makespan(DEFAULT)), DurationText.format(run.makespan(LONG_TAIL_AWARE)),
                run.ratioToRunLowerBound(LONG_TAIL_AWARE), DurationText.format(run.runLowerBound(LONG_TAIL_AWARE)),
                DurationText.format(run.shortestMakespan(LONG_TAIL_AWARE)), run.ratioToLowerBound(LONG_TAIL_AWARE),
                DurationText.format(run.lowerBound()), run.improvement(LONG_TAIL_AWARE).toPercentText(), run.noise() * 100);
    }
}
