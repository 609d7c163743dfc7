package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The process runtime where no cgroup is writable: CPU limits in whole CPUs through affinity. */
class AffinityFallbackTests {

    private ProcessRuntime runtime;

    @BeforeEach
    void open() {
        runtime = ProcessRuntime.open(CpuLimitMechanism.AFFINITY);
    }

    @AfterEach
    void close() {
        runtime.close();
        assertThat(ProcessTree.carrying(ProcessTree.RUN_ID_ENV).values().stream()
                .filter(env -> runtime.runId().value().equals(env.get(ProcessTree.RUN_ID_ENV)))).isEmpty();
    }

    @Test
    @DisplayName("a fractional limit becomes whole CPUs, and the runtime says it used affinity")
    void wholeCpus() throws InterruptedException {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs 2 CPUs");
        RunningWorkload busy = runtime.start(
                WorkloadSpec.ofCommand("python3", "-c", WorkloadRuntimeContract.BUSY_LOOP).withCpuLimit(0.5));
        Thread.sleep(300);

        assertThat(runtime.cpuLimitMechanism()).isEqualTo(CpuLimitMechanism.AFFINITY);
        assertThat(busy.cpuLimitMechanism().fractional()).isFalse();
        assertThat(busy.visibleCpus()).isEqualTo(1);
        busy.sample();
        MachineCpu machine = MachineCpu.now();
        Thread.sleep(1000);
        double cores = busy.sample().cpuCores();
        // Pinned to one CPU it can never use more than one core, however busy the machine is.
        assertThat(cores).isLessThanOrEqualTo(1.15);
        double others = machine.busyCoresSince() - cores;
        if (cores < 0.85 && others > 2 - 1 - 0.15) {
            Assumptions.abort(String.format("the machine was busy: other processes used %.2f cores while the "
                    + "workload pinned to one CPU measured %.2f", others, cores));
        }
        assertThat(cores).isCloseTo(1.0, within(0.15));

        busy.setCpuLimit(2);

        assertThat(pinnedCpus(busy)).hasSize(2);
    }

    /** Affinity of every process in the workload's tree: a live change must reach the forked child too. */
    private static List<Integer> pinnedCpus(RunningWorkload workload) {
        ProcessHandle main = ProcessHandle.of(Long.parseLong(workload.id())).orElseThrow();
        List<ProcessHandle> tree = List.copyOf(ProcessTree.treeOf(main));
        assertThat(tree).hasSizeGreaterThanOrEqualTo(2);
        List<Integer> first = ProcessTree.allowedCpus(tree.get(0).pid());
        tree.forEach(p -> assertThat(ProcessTree.allowedCpus(p.pid())).isEqualTo(first));
        return first;
    }
}
