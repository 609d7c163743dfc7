package dev.dyno.examples.cpuboost;

import static dev.dyno.cpuboost.CpuBoostAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.cpuboost.CpuBoost;
import dev.dyno.cpuboost.CpuBoostRun;
import dev.dyno.examples.RemoteEngines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/**
 * The guide's restoration check on a Docker engine that is not on this machine's socket: the
 * build runs this class with {@code DOCKER_HOST=tcp://127.0.0.1:23750}, a second engine that
 * {@code .ci/second-engine start} runs beside the first. Dyno then reads the container's CPU and
 * throttling from the engine's stats stream, not from cgroup files here, and the restore is
 * proven from those readings. Skipped with the reason on any other engine.
 */
@DisplayName("CPU boost on a remote Docker engine (DOCKER_HOST=tcp://…)")
class RemoteEngineCpuBoostTest {

    @BeforeAll
    static void onARemoteEngine() {
        RemoteEngines.assumeRemoteEngine();
    }

    // tag::remote-restoration[]
    // DOCKER_HOST=tcp://build-host:2376 (and DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH=…): nothing else changes.
    @CpuBoost(workloads = CpuBoostWorkloads.CPU_RESTORATION, runtime = "docker", args = {"--seconds", "6", "--interval", "0.1"},
            baseCpus = 0.5, configurations = {"baseline", "2x/3s"}, repetitions = 2, restoreTolerance = 0.15)
    @DisplayName("restoration on a remote engine: proven from the engine's stats, a reading a second")
    void restorationOnARemoteEngine(CpuBoostRun run) {
        assertThat(run).everyBoostRestored();
        assertThat(run.maxSlowdownAfterRestore().getAsDouble()).isGreaterThan(1.3);
    }
    // end::remote-restoration[]
}
