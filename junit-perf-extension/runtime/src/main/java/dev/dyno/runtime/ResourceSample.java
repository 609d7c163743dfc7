package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.Instant;
import org.apiguardian.api.API;

/**
 * What a workload used, read from its cgroup, the container engine or {@code /proc}.
 *
 * <p>{@link #cpuCores()} is the average since the previous sample of the same workload (or since
 * it started, for the first), so sampling once a second gives a per-second CPU timeline. The
 * counters ({@code cpuTime}, {@code periods}, {@code throttled*}) are cumulative since start.
 *
 * <pre>{@code
 * workload.sample();                       // opens a window
 * Thread.sleep(1000);
 * ResourceSample s = workload.sample();    // the average over that second
 * assertThat(s.cpuCores()).isCloseTo(0.5, within(0.1));
 * assertThat(s.throttledPeriods()).isPositive();
 * }</pre>
 *
 * @param timestamp        when the numbers were read (the engine's clock for containers)
 * @param cpuCores         CPU used, in cores, averaged since the previous sample
 * @param cpuTime          total CPU time used since start
 * @param periods          CFS enforcement periods elapsed (0 where there is no quota accounting)
 * @param throttledPeriods periods in which the workload was throttled
 * @param throttledTime    total time the workload was throttled
 * @param memoryBytes      memory in use (without page cache where the source tells them apart)
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ResourceSample(
        Instant timestamp,
        double cpuCores,
        Duration cpuTime,
        long periods,
        long throttledPeriods,
        Duration throttledTime,
        long memoryBytes) {

    /** Whether the workload has been throttled at least once since it started. */
    public boolean throttled() {
        return throttledPeriods > 0;
    }
}
