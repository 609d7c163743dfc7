package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * How a runtime enforces a workload's CPU limit, so a report can say what a "0.5 core" run meant.
 *
 * <pre>{@code
 * try (WorkloadRuntime runtime = Runtimes.open()) {
 *     RunningWorkload busy = runtime.start(WorkloadSpec.ofCommand("python3", "busy.py").withCpuLimit(0.5));
 *     if (!busy.cpuLimitMechanism().fractional()) {
 *         // AFFINITY rounds 0.5 up to one whole CPU
 *     }
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum CpuLimitMechanism {

    /** A cgroup v1 CFS quota ({@code cpu.cfs_quota_us} / {@code cpu.cfs_period_us}). */
    CGROUP_V1(true),

    /** A cgroup v2 CFS quota ({@code cpu.max}). */
    CGROUP_V2(true),

    /** A CPU affinity mask ({@code taskset}): whole CPUs only, fractions are rounded up. */
    AFFINITY(false),

    /** The container engine's CFS quota ({@code CpuQuota} / {@code CpuPeriod}). */
    DOCKER_QUOTA(true),

    /** No limit can be enforced; the workload uses whatever the machine gives it. */
    NONE(false);

    private final boolean fractional;

    CpuLimitMechanism(boolean fractional) {
        this.fractional = fractional;
    }

    /** Whether a limit such as 0.5 or 1.5 cores is enforced as written rather than rounded to whole CPUs. */
    public boolean fractional() {
        return fractional;
    }
}
