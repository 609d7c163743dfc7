package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WorkloadRuntime#startAll}: each workload here becomes ready only once all four have
 * started, so starts made one after another cannot all succeed, and starts made together must.
 */
@DisplayName("startAll: several starts at once, all or nothing")
class ParallelStartsTests {

    @TempDir
    Path dir;
    private ProcessRuntime runtime;

    @BeforeEach
    void open() {
        runtime = ProcessRuntime.open();
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    /** Marks itself started, waits until {@code n} have, then says READY and stays up. */
    private List<WorkloadSpec> rendezvous(int n, Duration readyWithin) {
        List<WorkloadSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(WorkloadSpec.ofCommand("sh", "-c", "touch '" + dir + "/started-" + i + "'; "
                    + "while [ $(ls '" + dir + "' | wc -l) -lt " + n + " ]; do sleep 0.02; done; echo READY; sleep 60")
                    .withName("meet-" + i).withReadiness(Readiness.logLine("^READY$")).withReadinessTimeout(readyWithin));
        }
        return specs;
    }

    @Test
    @DisplayName("starts them together and returns them in the specs' order, every one ready")
    void together() {
        List<WorkloadSpec> specs = rendezvous(4, Duration.ofSeconds(20));
        List<RunningWorkload> started = ParallelStarts.startAll(runtime, specs, 4);
        assertThat(started).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(started.get(i).spec()).isEqualTo(specs.get(i));
            assertThat(started.get(i).isRunning()).isTrue();
        }
    }

    @Test
    @DisplayName("the runtime's startAll runs its default number at once")
    void theRuntimesDefault() {
        assertThat(runtime.parallelStarts()).isGreaterThanOrEqualTo(4);
        assertThat(runtime.startAll(rendezvous(4, Duration.ofSeconds(20)))).hasSize(4);
    }

    @Test
    @DisplayName("all or nothing: a start that fails leaves none running, and its failure is the one thrown")
    void allOrNothing() {
        // two at a time: the first two wait for four that never come, and time out
        List<WorkloadSpec> specs = rendezvous(4, Duration.ofSeconds(2));
        long before = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
        assertThatThrownBy(() -> ParallelStarts.startAll(runtime, specs, 2))
                .isInstanceOf(WorkloadNotReadyException.class).hasMessageContaining("meet-0");
        assertThat(runtime.workloads()).noneMatch(RunningWorkload::isRunning);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count()).isEqualTo(before);
    }
}
