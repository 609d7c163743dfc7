package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a {@link SchedulingPolicy} knows when it plans a run.
 *
 * @param cores           the CPUs the tasks may use
 * @param learnedCpuTimes the median CPU time of each task (by {@link TaskSpec#id()}) in the
 *                        earlier runs of this experiment, under any policy; empty in the first run
 * @param round           which round of the experiment this is, from 0
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PlanContext(int cores, Map<String, Duration> learnedCpuTimes, int round) {

    public PlanContext {
        learnedCpuTimes = Map.copyOf(learnedCpuTimes);
    }

    /** The CPU time task {@code id} used in earlier runs (median), if it has run before. */
    public Optional<Duration> learnedCpuTime(String id) {
        return Optional.ofNullable(learnedCpuTimes.get(id));
    }
}
