package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How a {@link SchedulingPolicy} starts one task: after which delay, at which {@code nice}
 * value, with which CPU weight and on which CPUs. {@code withX} returns a changed copy.
 *
 * <pre>{@code
 * TaskLaunch.of(task).withNice(-10).withCpuWeight(TaskLaunch.MAX_CPU_WEIGHT).because("long: name matches");
 * }</pre>
 *
 * <p>The nice value is set with {@code nice -n}; the CPU weight on the cgroup the process
 * runtime gives each task ({@code cpu.weight} on cgroup v2, {@code cpu.shares} = weight × 1024 /
 * 100 on v1): with one cgroup per task, CFS shares the CPUs between the cgroups by weight, and a
 * nice value only orders the processes inside one cgroup. The CPUs are set with {@code taskset -c}.
 *
 * @param task      the task
 * @param delay     how long after the first launch this one starts
 * @param nice      the nice value, -20 (most favoured) to 19; 0 is the OS default
 * @param cpuWeight the CPU weight, 1 to 10000; {@value #DEFAULT_CPU_WEIGHT} is the OS default
 * @param cpus      the CPUs it may run on; empty for all
 * @param reason    why the policy chose this, for the report
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TaskLaunch(TaskSpec task, Duration delay, int nice, int cpuWeight, List<Integer> cpus, String reason) {

    /** The CPU weight the OS gives a cgroup by default (cgroup v2 {@code cpu.weight}). */
    public static final int DEFAULT_CPU_WEIGHT = 100;

    /** The largest CPU weight. */
    public static final int MAX_CPU_WEIGHT = 10_000;

    public TaskLaunch {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(delay, "delay");
        cpus = List.copyOf(cpus);
        reason = reason == null ? "" : reason;
        if (delay.isNegative()) {
            throw new IllegalArgumentException("task " + task.id() + ": delay " + delay + " is negative");
        }
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("task " + task.id() + ": nice " + nice + " is not allowed; -20 to 19");
        }
        if (cpuWeight < 1 || cpuWeight > MAX_CPU_WEIGHT) {
            throw new IllegalArgumentException("task " + task.id() + ": CPU weight " + cpuWeight
                    + " is not allowed; 1 to " + MAX_CPU_WEIGHT + " (" + DEFAULT_CPU_WEIGHT + " is the default)");
        }
        for (int cpu : cpus) {
            if (cpu < 0) {
                throw new IllegalArgumentException("task " + task.id() + ": CPU " + cpu + " is not allowed; 0 or more");
            }
        }
    }

    /** Starts {@code task} at once, at the OS defaults. */
    public static TaskLaunch of(TaskSpec task) {
        return new TaskLaunch(task, Duration.ZERO, 0, DEFAULT_CPU_WEIGHT, List.of(), "");
    }

    public TaskLaunch withDelay(Duration delay) {
        return new TaskLaunch(task, delay, nice, cpuWeight, cpus, reason);
    }

    public TaskLaunch withNice(int nice) {
        return new TaskLaunch(task, delay, nice, cpuWeight, cpus, reason);
    }

    public TaskLaunch withCpuWeight(int cpuWeight) {
        return new TaskLaunch(task, delay, nice, cpuWeight, cpus, reason);
    }

    public TaskLaunch withCpus(List<Integer> cpus) {
        return new TaskLaunch(task, delay, nice, cpuWeight, cpus, reason);
    }

    /** Says why, for the report. */
    public TaskLaunch because(String reason) {
        return new TaskLaunch(task, delay, nice, cpuWeight, cpus, reason);
    }
}
