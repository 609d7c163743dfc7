package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One run of the task set under one policy: its makespan and what each task did, and the
 * figures derived from them.
 *
 * <pre>{@code
 * PolicyRun run = result.runs(BuiltInPolicy.LONG_TAIL_AWARE).get(0);
 * assertThat(run.makespan()).isLessThan(run.lowerBound().multipliedBy(11).dividedBy(10));
 * }</pre>
 *
 * @param policy   the policy's name
 * @param round    which round of the experiment, from 0 (each round runs every policy once)
 * @param cores    the CPUs the tasks could use
 * @param makespan from the first launch to the last exit
 * @param tasks    every task, in launch order
 * @param otherCpu CPU time the machine spent on anything but the tasks during the run (from
 *                 {@code /proc/stat}, steal included): other processes, the JVM, the hypervisor — the run's noise;
 *                 empty when the machine's CPU time could not be read
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PolicyRun(String policy, int round, int cores, Duration makespan, List<TaskRecord> tasks,
        Optional<Duration> otherCpu) {

    public PolicyRun {
        tasks = List.copyOf(tasks);
    }

    /**
     * The share of the cores' time during the run that went to something other than the tasks:
     * 0 on a quiet machine, 0.5 when half the CPU went elsewhere, NaN when it is unknown.
     */
    public double noise() {
        if (otherCpu.isEmpty()) {
            return Double.NaN;
        }
        return makespan.isZero() ? 0 : otherCpu.get().toNanos() / ((double) makespan.toNanos() * cores);
    }

    /**
     * max(longest task's CPU time, total CPU time / cores) from this run's own CPU times: no
     * schedule could beat it with these tasks as this run's policy made them. It moves with the
     * policy when the policy changes its tasks' CPU time (or the machine does: the same work costs
     * more CPU beside busy neighbours); {@link LongTailRun#lowerBound()} does not.
     * {@link LongTailRun#ratioToRunLowerBound(String)} judges schedules against this one.
     */
    public Duration lowerBound() {
        return MakespanMath.lowerBound(cpuTimes(), cores);
    }

    /** Whether the longest task bounds the makespan; false when the total work over the cores does. */
    public boolean boundedByLongestTask() {
        return MakespanMath.boundedByLongestTask(cpuTimes(), cores);
    }

    /** Total CPU time of all tasks. */
    public Duration totalCpuTime() {
        return cpuTimes().stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** When the last declared-short task exited (empty without short tasks). */
    public Optional<Duration> shortCompletion() {
        return completion(TaskSpec.Kind.SHORT);
    }

    /** When the last declared-long task exited (empty without long tasks). */
    public Optional<Duration> longCompletion() {
        return completion(TaskSpec.Kind.LONG);
    }

    /** Longest task runtime over the median task runtime (wall clock). */
    public double skewRatio() {
        return MakespanMath.skewRatio(runtimes());
    }

    /** Largest task CPU time over the mean task CPU time: 1 for equal tasks. */
    public double imbalanceRatio() {
        return MakespanMath.imbalanceRatio(cpuTimes());
    }

    /** Total CPU time over makespan × cores: 1 when no core was ever idle. */
    public double parallelEfficiency() {
        return MakespanMath.parallelEfficiency(cpuTimes(), makespan, cores);
    }

    /** Whether a process ran over 0.5 s, as seen by sampling {@code /proc}, and at least twice the median task. */
    public boolean longTailDetected() {
        return MakespanMath.longTailDetected(tasks.stream().map(TaskRecord::observedRunning).toList());
    }

    /** The tasks that ran longer than 0.5 s, as seen by sampling {@code /proc}. */
    public List<TaskRecord> longRunning() {
        return tasks.stream().filter(t -> t.observedRunning().compareTo(MakespanMath.LONG_RUNNING) > 0).toList();
    }

    /** The tasks the task set declares of one kind, in launch order. */
    public List<TaskRecord> tasks(TaskSpec.Kind kind) {
        return tasks.stream().filter(t -> t.kind() == kind).toList();
    }

    /** The task with this id. */
    public TaskRecord task(String id) {
        return tasks.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no task \"" + id + "\" in this run"));
    }

    private Optional<Duration> completion(TaskSpec.Kind kind) {
        return tasks.stream().filter(t -> t.kind() == kind).map(TaskRecord::end).max(Comparator.naturalOrder());
    }

    List<Duration> cpuTimes() {
        return tasks.stream().map(TaskRecord::cpuTime).toList();
    }

    List<Duration> runtimes() {
        return tasks.stream().map(TaskRecord::runtime).toList();
    }
}
