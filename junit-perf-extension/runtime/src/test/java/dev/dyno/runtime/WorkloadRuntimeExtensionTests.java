package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.dyno.PerfTest;
import dev.dyno.metrics.Recorder;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

@DisplayName("A WorkloadRuntime parameter")
class WorkloadRuntimeExtensionTests {

    @TempDir
    Path results;

    private EngineExecutionResults run(Class<?> testCase, String runtime) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter("dyno.runtime", runtime)
                .execute();
    }

    @Test
    @DisplayName("is a working runtime whose workloads are stopped when the test passes")
    void stopsWorkloadsAfterPassingTest() {
        run(StartsWorkloadTestCase.class, "process").testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        RunningWorkload workload = StartsWorkloadTestCase.started.get();
        assertThat(workload.isRunning()).isFalse();
        assertThat(ProcessHandle.of(Long.parseLong(workload.id())).map(ProcessHandle::isAlive)).isNotEqualTo(
                java.util.Optional.of(true));
    }

    @Test
    @DisplayName("stops its workloads when the test fails, keeping the test's own failure")
    void stopsWorkloadsAfterFailingTest() {
        run(FailsWithWorkloadTestCase.class, "process").testEvents().assertThatEvents().haveExactly(1,
                event(test("fails"), finishedWithFailure(message("the service answered 500"))));
        assertThat(FailsWithWorkloadTestCase.started.get().isRunning()).isFalse();
    }

    @Test
    @DisplayName("fails with the allowed values when dyno.runtime names no runtime")
    void unknownRuntime() {
        run(StartsWorkloadTestCase.class, "warp").testEvents().assertThatEvents().haveExactly(1,
                event(test("starts"), finishedWithFailure(message("dyno.runtime = \"warp\": allowed are auto, process, docker"))));
    }

    static class StartsWorkloadTestCase {
        static final AtomicReference<RunningWorkload> started = new AtomicReference<>();

        @PerfTest
        void starts(Recorder recorder, WorkloadRuntime runtime) throws Exception {
            RunningWorkload sleeper = runtime.start(WorkloadSpec.ofCommand("sleep", "60"));
            started.set(sleeper);
            assertThat(sleeper.isRunning()).isTrue();
            recorder.attribute("runtime", runtime.name());
        }
    }

    static class FailsWithWorkloadTestCase {
        static final AtomicReference<RunningWorkload> started = new AtomicReference<>();

        @PerfTest
        void fails(WorkloadRuntime runtime) throws Exception {
            RunningWorkload echo = runtime.start(WorkloadSpec.ofCommand("sh", "-c", "echo serving; sleep 60"));
            started.set(echo);
            Thread.sleep(200);
            throw new AssertionError("the service answered 500");
        }
    }
}
