package dev.dyno.longtail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Makespan arithmetic")
class MakespanMathTests {

    private static List<Duration> seconds(double... values) {
        List<Duration> list = new ArrayList<>();
        for (double v : values) {
            list.add(Duration.ofNanos(Math.round(v * 1e9)));
        }
        return list;
    }

    private static List<Duration> shortsAndLong(int shorts, double shortSeconds, double longSeconds) {
        List<Duration> list = new ArrayList<>(Collections.nCopies(shorts, Duration.ofNanos(Math.round(shortSeconds * 1e9))));
        list.add(Duration.ofNanos(Math.round(longSeconds * 1e9)));
        return list;
    }

    @Test
    @DisplayName("the lower bound is the longest task when it outweighs the total work over the cores")
    void boundByLongestTask() {
        List<Duration> tasks = shortsAndLong(8, 0.25, 3.0);   // total 5 s, / 2 cores = 2.5 s < 3 s

        assertThat(MakespanMath.lowerBound(tasks, 2)).isEqualTo(Duration.ofSeconds(3));
        assertThat(MakespanMath.boundedByLongestTask(tasks, 2)).isTrue();
    }

    @Test
    @DisplayName("the lower bound is the total work over the cores for the guide's 39 + 1 on 2 cores")
    void boundByTotalWork() {
        List<Duration> tasks = shortsAndLong(39, 1.0, 10.0);   // total 49 s, / 2 = 24.5 s > 10 s

        assertThat(MakespanMath.lowerBound(tasks, 2)).isEqualTo(Duration.ofMillis(24_500));
        assertThat(MakespanMath.boundedByLongestTask(tasks, 2)).isFalse();
        assertThat(MakespanMath.lowerBound(tasks, 8)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("skew is longest over median; imbalance is longest over mean")
    void skewAndImbalance() {
        List<Duration> tasks = seconds(1, 1, 1, 5);   // median 1, mean 2

        assertThat(MakespanMath.skewRatio(tasks)).isCloseTo(5.0, within(1e-9));
        assertThat(MakespanMath.imbalanceRatio(tasks)).isCloseTo(2.5, within(1e-9));
        assertThat(MakespanMath.skewRatio(seconds(2, 2, 2))).isCloseTo(1.0, within(1e-9));
        assertThat(MakespanMath.median(seconds(1, 2, 3, 10))).isCloseTo(2.5e9, within(1.0));
    }

    @Test
    @DisplayName("parallel efficiency is total CPU over makespan times cores")
    void efficiency() {
        assertThat(MakespanMath.parallelEfficiency(seconds(4, 4), Duration.ofSeconds(5), 2)).isCloseTo(0.8, within(1e-9));
    }

    @Test
    @DisplayName("a long tail is a process over 0.5 s that ran at least twice the median")
    void longTail() {
        assertThat(MakespanMath.longTailDetected(seconds(0.2, 0.2, 0.2, 1.0))).isTrue();
        assertThat(MakespanMath.longTailDetected(seconds(0.1, 0.1, 0.4))).as("nothing over 0.5 s").isFalse();
        assertThat(MakespanMath.longTailDetected(seconds(0.9, 1.0, 1.1))).as("no tail: all alike").isFalse();
    }

    @Test
    @DisplayName("a run derives completion times, skew and the bound from its tasks")
    void policyRun() {
        List<TaskRecord> tasks = List.of(
                task("long-1", TaskSpec.Kind.LONG, 0.0, 3.0, 3.0),
                task("short-01", TaskSpec.Kind.SHORT, 0.0, 1.0, 0.5),
                task("short-02", TaskSpec.Kind.SHORT, 0.0, 1.5, 0.5));
        PolicyRun run = new PolicyRun("x", 0, 2, Duration.ofSeconds(3), tasks, Optional.of(Duration.ofMillis(600)));

        assertThat(run.lowerBound()).isEqualTo(Duration.ofSeconds(3));
        assertThat(run.shortCompletion()).hasValue(Duration.ofMillis(1500));
        assertThat(run.longCompletion()).hasValue(Duration.ofSeconds(3));
        assertThat(run.skewRatio()).isCloseTo(2.0, within(1e-9));
        assertThat(run.parallelEfficiency()).isCloseTo(4.0 / 6.0, within(1e-9));
        assertThat(run.totalCpuTime()).isEqualTo(Duration.ofSeconds(4));
        assertThat(run.noise()).isCloseTo(0.1, within(1e-9));
    }

    /**
     * Three interleaved rounds of 8 short tasks (0.26 s of CPU) and one long one on 2 cores: under
     * DEFAULT the long task uses 7.5, 7.3 and 7.4 s of CPU, under long-tail-aware {@code awareLongCpu}.
     */
    private static LongTailRun experiment(double awareLongCpu) {
        double[] defaultLongCpu = {7.5, 7.3, 7.4};
        List<PolicyRun> runs = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            runs.add(run(DefaultPolicy.NAME, round, defaultLongCpu[round], 10.8));
            runs.add(run(LongTailAwarePolicy.NAME, round, awareLongCpu, awareLongCpu + 0.1));
        }
        return new LongTailRun(TaskSet.of("ctest_suite", 8, "./short", 1, "./long"), 2,
                List.of(DefaultPolicy.NAME, LongTailAwarePolicy.NAME), runs);
    }

    private static PolicyRun run(String policy, int round, double longCpu, double makespan) {
        List<TaskRecord> tasks = new ArrayList<>();
        tasks.add(task("long-1", TaskSpec.Kind.LONG, 0, makespan, longCpu));
        for (int i = 1; i <= 8; i++) {
            tasks.add(task(String.format("short-%02d", i), TaskSpec.Kind.SHORT, 0, 1.2, 0.26 + 0.01 * round));
        }
        return new PolicyRun(policy, round, 2, Duration.ofNanos((long) (makespan * 1e9)), tasks, Optional.of(Duration.ZERO));
    }

    @Test
    @DisplayName("the lower bound takes each task at its least CPU time over all runs and policies, so a policy that inflates the long task's CPU time does not move it")
    void boundDoesNotMoveWithThePolicyJudged() {
        LongTailRun inflating = experiment(8.3);
        LongTailRun inflatingMore = experiment(12.0);

        assertThat(inflating.lowerBound()).isEqualTo(Duration.ofMillis(7300)).isEqualTo(inflatingMore.lowerBound());
        assertThat(inflating.boundedByLongestTask()).isTrue();
        assertThat(inflating.leastCpuTimes()).containsEntry("long-1", Duration.ofMillis(7300))
                .containsEntry("short-01", Duration.ofMillis(260)).hasSize(9);
        // Measured against the bound, the inflating policy is 8.4 / 7.3, not "1.01×" its own inflated bound.
        assertThat(inflating.ratioToLowerBound(LongTailAwarePolicy.NAME)).isCloseTo(8.4 / 7.3, within(1e-9));
        assertThat(inflating.runs(LongTailAwarePolicy.NAME).get(0).lowerBound()).as("a run's own bound still moves")
                .isEqualTo(Duration.ofMillis(8300));
        assertThat(inflating.lowerBoundMethod())
                .startsWith("max(longest task's CPU time, total CPU time / 2 cores) = 7.30s, from each task's least CPU"
                        + " time in any of the 6 runs of all policies")
                .endsWith("long-1 used 7.30s (default, round 2) to 8.30s (long-tail-aware, round 1)");
        assertThat(inflating.guideResults()).allSatisfy(r -> assertThat(r)
                .containsEntry("lower_bound", 7.3).containsEntry("lower_bound_method", inflating.lowerBoundMethod()));
    }

    @Test
    @DisplayName("the ratio to the bound takes the shortest makespan, as the bound takes the least CPU: a machine that slows in two rounds of three does not fail the policy")
    void ratioTakesTheShortestMakespan() {
        // As in a CI run: the same long task used 11 % more CPU in two long-tail-aware rounds than in the third.
        double[] awareLongCpu = {3.94, 3.94, 3.56};
        List<PolicyRun> runs = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            runs.add(run(DefaultPolicy.NAME, round, 3.56, 5.20));
            runs.add(run(LongTailAwarePolicy.NAME, round, awareLongCpu[round], awareLongCpu[round] + 0.1));
        }
        LongTailRun drifting = new LongTailRun(TaskSet.of("ctest_suite", 8, "./short", 1, "./long"), 2,
                List.of(DefaultPolicy.NAME, LongTailAwarePolicy.NAME), runs);

        assertThat(drifting.lowerBound()).isEqualTo(Duration.ofMillis(3560));
        assertThat(drifting.makespan(LongTailAwarePolicy.NAME)).as("the median run").isEqualTo(Duration.ofMillis(4040));
        assertThat(drifting.shortestMakespan(LongTailAwarePolicy.NAME)).isEqualTo(Duration.ofMillis(3660));
        assertThat(drifting.ratioToLowerBound(LongTailAwarePolicy.NAME)).isCloseTo(3.66 / 3.56, within(1e-9));
        assertThat(drifting.ratioToLowerBound(DefaultPolicy.NAME)).isCloseTo(5.20 / 3.56, within(1e-9));
    }

    @Test
    @DisplayName("a schedule is judged against each of its runs' own bounds: a long task that costs 13 % more CPU beside busy neighbours does not fail a schedule that never let it wait, and one that starts it late still fails")
    void scheduleJudgedAgainstItsRunsOwnBounds() {
        // As in a CI run: the long task used 3.97 s of CPU alone at the end of a DEFAULT run, and 4.40-4.70 s under
        // long-tail-aware, where the other CPU was busy all along; long-tail-aware's makespan was its runtime each time.
        double[] awareLongCpu = {4.40, 4.60, 4.70, 4.45};
        List<PolicyRun> runs = new ArrayList<>();
        List<PolicyRun> late = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            runs.add(run(DefaultPolicy.NAME, round, 3.97, 6.36));
            runs.add(run(LongTailAwarePolicy.NAME, round, awareLongCpu[round], awareLongCpu[round] + 0.1));
            late.add(run(DefaultPolicy.NAME, round, 3.97, 6.36));
            late.add(run(LongTailAwarePolicy.NAME, round, awareLongCpu[round], awareLongCpu[round] + 1.0));
        }
        LongTailRun coRunning = new LongTailRun(TaskSet.of("compression", 8, "./short", 1, "./long"), 2,
                List.of(DefaultPolicy.NAME, LongTailAwarePolicy.NAME), runs);
        LongTailRun lateStart = new LongTailRun(TaskSet.of("compression", 8, "./short", 1, "./long"), 2,
                List.of(DefaultPolicy.NAME, LongTailAwarePolicy.NAME), late);

        assertThat(coRunning.ratioToLowerBound(LongTailAwarePolicy.NAME)).as("against the least CPU ever seen")
                .isCloseTo(4.50 / 3.97, within(1e-9)).isGreaterThan(1.10);
        assertThat(coRunning.runLowerBound(LongTailAwarePolicy.NAME)).isEqualTo(Duration.ofMillis(4525));
        assertThat(coRunning.ratioToRunLowerBound(LongTailAwarePolicy.NAME))
                .isCloseTo((4.70 / 4.60 + 4.55 / 4.45) / 2, within(1e-9)).isLessThan(1.03);
        assertThat(coRunning.ratioToRunLowerBound(DefaultPolicy.NAME)).isCloseTo(6.36 / 3.97, within(1e-9));
        assertThat(lateStart.ratioToRunLowerBound(LongTailAwarePolicy.NAME)).isGreaterThan(1.20);
    }

    @Test
    @DisplayName("a policy that makes its tasks use less CPU lowers the bound for every policy: the bound is the least seen")
    void boundTakesTheLeastCpuSeen() {
        LongTailRun frugal = experiment(6.9);

        assertThat(frugal.lowerBound()).isEqualTo(Duration.ofMillis(6900));
        assertThat(frugal.lowerBoundMethod()).endsWith("long-1 used 6.90s (long-tail-aware, round 1) to 7.50s (default, round 1)");
    }

    @Test
    @DisplayName("when the total work bounds the makespan, the bound is the least CPU of every task over the cores, and says so")
    void boundByTotalLeastWork() {
        List<PolicyRun> runs = List.of(
                new PolicyRun("default", 0, 2, Duration.ofSeconds(8), List.of(task("long-1", TaskSpec.Kind.LONG, 0, 5, 3.0),
                        task("short-01", TaskSpec.Kind.SHORT, 0, 5, 4.0), task("short-02", TaskSpec.Kind.SHORT, 0, 5, 4.0)),
                        Optional.empty()),
                new PolicyRun("default", 1, 2, Duration.ofSeconds(8), List.of(task("long-1", TaskSpec.Kind.LONG, 0, 5, 3.5),
                        task("short-01", TaskSpec.Kind.SHORT, 0, 5, 3.0), task("short-02", TaskSpec.Kind.SHORT, 0, 5, 5.0)),
                        Optional.empty()));
        LongTailRun run = new LongTailRun(TaskSet.of("busy", 2, "./short", 1, "./long"), 2, List.of("default"), runs);

        assertThat(run.lowerBound()).isEqualTo(Duration.ofMillis(5000));   // (3 + 3 + 4) / 2
        assertThat(run.boundedByLongestTask()).isFalse();
        assertThat(run.lowerBoundMethod()).endsWith(": the total, 10.0s of CPU, bounds it");
    }

    static TaskRecord task(String id, TaskSpec.Kind kind, double start, double end, double cpu) {
        return new TaskRecord(id, kind, id, Duration.ofNanos((long) (start * 1e9)), Duration.ofNanos((long) (end * 1e9)),
                Duration.ofNanos((long) (cpu * 1e9)), 0, 0, 100, "", List.of(), Duration.ofNanos((long) ((end - start) * 1e9)), "");
    }
}
