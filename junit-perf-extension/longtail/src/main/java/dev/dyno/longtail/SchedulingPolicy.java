package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.runtime.WorkloadRuntime;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * How a task set is scheduled: when each task starts, at which priority ({@code nice}), with
 * which CPU weight (its cgroup's share of the CPU) and on which CPUs. {@link LongTailScheduler}
 * runs the same task set under several policies and compares their makespans.
 *
 * <p>Plug in your own: implement this interface with a public no-argument constructor and name
 * the class in {@link LongTailScheduler#customPolicies()}.
 *
 * <pre>{@code
 * public class ShortestFirstPolicy implements SchedulingPolicy {
 *     public String name() { return "shortest-first"; }
 *
 *     public List<TaskLaunch> plan(TaskSet tasks, PlanContext context) {
 *         return tasks.tasks().stream()
 *                 .sorted(Comparator.comparing(t -> context.learnedCpuTime(t.id()).orElse(Duration.ZERO)))
 *                 .map(TaskLaunch::of)
 *                 .toList();
 *     }
 * }
 * }</pre>
 *
 * <p>A policy that needs something running while the tasks run (an external BPF scheduler
 * loader under sched_ext) starts it in {@link #activate}; one that cannot run on this machine
 * says why in {@link #unavailableReason()}, and a test that asks for it is skipped with that reason.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface SchedulingPolicy {

    /** A short name for reports and metric names: letters, digits and {@code -}, such as {@code long-tail-aware}. */
    String name();

    /**
     * The launches, one per task of the set, in the order they start. Each launch may wait a
     * {@link TaskLaunch#delay()} after the first start.
     */
    List<TaskLaunch> plan(TaskSet taskSet, PlanContext context);

    /** Why this policy cannot run on this machine, or empty if it can. */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * Puts in place what the policy needs while the tasks run, such as a scheduler loader
     * process started through {@code runtime}; closed when the tasks have ended.
     */
    default AutoCloseable activate(WorkloadRuntime runtime) throws Exception {
        return () -> {
        };
    }
}
