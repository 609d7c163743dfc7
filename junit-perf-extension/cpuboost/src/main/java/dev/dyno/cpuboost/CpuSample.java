package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * One reading of a boosted (or baseline) start's resources.
 *
 * @param offset      time since the start was requested
 * @param cores       CPU used since the previous reading, in cores
 * @param cpuTime     CPU used since the workload started
 * @param limit       the CPU limit in force when it was read, in cores
 * @param memoryBytes memory in use
 * @param throttledPeriods CFS periods in which the limit held the workload back, since it started
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record CpuSample(Duration offset, double cores, Duration cpuTime, double limit, long memoryBytes,
        long throttledPeriods) {
}
