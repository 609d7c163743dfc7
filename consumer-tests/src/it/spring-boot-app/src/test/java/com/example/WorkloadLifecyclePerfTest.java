package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Under the JUnit that Spring Boot manages (5.12), a workload a test started stops when the test
 * ends: the next test finds its process gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkloadLifecyclePerfTest {

    private static final AtomicLong pid = new AtomicLong();

    @PerfTest
    @Order(1)
    void startsAWorkloadAndLeavesItRunning(WorkloadRuntime runtime) {
        RunningWorkload sleeper = runtime.start(WorkloadSpec.ofCommand("sleep", "300")
                .withReadiness(Readiness.started()));
        pid.set(Long.parseLong(sleeper.id()));
        assertThat(ProcessHandle.of(pid.get())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    }

    @Test
    @Order(2)
    void findsItStoppedWithItsTest() throws InterruptedException {
        assertThat(pid.get()).as("the first test ran").isPositive();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive)).as("workload process %d", pid.get())
                .isNotEqualTo(java.util.Optional.of(true));
    }
}
