package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.runtime.DockerRuntime;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.Runtimes;
import dev.dyno.runtime.WorkloadSpec;
import java.time.Duration;

/**
 * On the Testcontainers and docker-java versions Spring Boot 3.5 manages (1.21, 3.4), a container's
 * CPU limit changes while it runs. Skipped with the reason where no Docker engine answers (and
 * failed instead under DYNO_REQUIRE_DOCKER=true, as CI sets it).
 */
class ContainerCpuLimitPerfTest {

    // The quota the kernel enforces, in microseconds per 100 ms: cgroup v1, else v2's cpu.max.
    private static final String QUOTA_AFTER_A_SECOND =
            "sleep 1; cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max";

    @PerfTest
    void raisesAContainersCpuLimitWhileItRuns() {
        try (DockerRuntime docker = Runtimes.requireDocker()) {
            RunningWorkload workload = docker.start(WorkloadSpec.ofCommand("sh", "-c", QUOTA_AFTER_A_SECOND)
                    .withCpuLimit(0.5)
                    .withReadiness(Readiness.started()));
            workload.setCpuLimit(1.5);
            assertThat(workload.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(workload.stdout().strip()).isEqualTo("150000");
        }
    }
}
