package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/**
 * What one task did in one run: when it started and ended (from the run's first launch), the CPU
 * it used, and the priority it really had.
 *
 * @param id              the task's id
 * @param kind            what the task set declares it to be
 * @param program         the program its command runs
 * @param start           when it was launched, from the run's first launch
 * @param end             when it exited, from the run's first launch
 * @param cpuTime         CPU time of the task's whole process tree (its cgroup's accounting, or {@code /proc})
 * @param exitCode        its exit code
 * @param nice            its nice value as {@code /proc/<pid>/stat} showed it while it ran
 * @param cpuWeight       the CPU weight the policy asked for
 * @param cpuWeightDetail how the weight was applied ({@code cpu.shares=1000000}) or why it was not
 * @param cpus            the CPUs it was pinned to; empty for all
 * @param observedRunning how long sampling {@code /proc} saw it alive (for long-tail detection)
 * @param reason          why the policy launched it so
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TaskRecord(String id, TaskSpec.Kind kind, String program, Duration start, Duration end, Duration cpuTime,
        int exitCode, int nice, int cpuWeight, String cpuWeightDetail, List<Integer> cpus, Duration observedRunning,
        String reason) {

    public TaskRecord {
        cpus = List.copyOf(cpus);
    }

    /** Wall-clock time from launch to exit. */
    public Duration runtime() {
        return end.minus(start);
    }

    /** The CPU it used on average while it ran, in cores. */
    public double cpuCores() {
        long wall = runtime().toNanos();
        return wall > 0 ? cpuTime.toNanos() / (double) wall : 0;
    }
}
