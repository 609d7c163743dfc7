package com.example;

import static dev.dyno.assertions.PerfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;

class ContainerWorkloadPerfTest {

    // What the kernel enforces on the workload's cgroup: v2 "50000 100000", v1 "50000".
    private static final String SHOW_CPU_QUOTA =
            "cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us";

    @PerfTest(thresholds = "workload.start count >= 1")
    void runsAWorkloadInAContainerAtHalfACore(WorkloadRuntime runtime, Recorder recorder) throws Exception {
        assertThat(runtime.name()).isEqualTo("docker");

        RunningWorkload workload = recorder.time("workload.start", () -> runtime.start(
                WorkloadSpec.ofCommand("sh", "-c", SHOW_CPU_QUOTA)
                        .withCpuLimit(0.5)
                        .withReadiness(Readiness.exit())));

        assertThat(workload.exitCode()).hasValue(0);
        assertThat(workload.stdout()).startsWith("50000");
        assertThat(recorder).timer("workload.start").hasCount(1);
    }
}
