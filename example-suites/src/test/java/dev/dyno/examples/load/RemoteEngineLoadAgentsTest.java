package dev.dyno.examples.load;

import static dev.dyno.load.LoadAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.examples.RemoteEngines;
import dev.dyno.load.LoadProfile;
import dev.dyno.load.LoadProfile.Http;
import dev.dyno.load.LoadProfile.Spike;
import dev.dyno.load.LoadRun;
import dev.dyno.metrics.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/**
 * Load agents as containers of a Docker engine that is not on this machine's socket: the build
 * runs this class with {@code DOCKER_HOST=tcp://127.0.0.1:23750} (TLS), a second engine beside the
 * first. Each agent's container runs the test's class path, copied in over the engine's API, on
 * the engine's host network, and reports ready to this JVM. Skipped with the reason on any other engine.
 */
@DisplayName("Load agents on a remote Docker engine (DOCKER_HOST=tcp://…)")
class RemoteEngineLoadAgentsTest {

    @BeforeAll
    static void onARemoteEngine() {
        RemoteEngines.assumeRemoteEngine();
    }

    // tag::remote-agents[]
    @LoadProfile(service = InferenceWorkloads.NAME, ciScale = 0.1, agents = 2, agentRuntime = "docker",
            http = @Http(method = "POST", path = "/generate", body = InferenceServiceLoadTest.GENERATE_50, timeout = "60s"),
            spike = @Spike(baselineRps = 2, spikeRps = 15, phase = "30s"),
            thresholds = {"spike.success_rate >= 99%", "spike.latency p95 < 5s"})
    @DisplayName("the spike from two agents in containers of a remote engine, merged into one result")
    void spikeFromAgentsOnARemoteEngine(LoadRun run, Recorder recorder) {
        assertThat(run.phase("spike").requests()).isEqualTo(run.phase("baseline").requests() * 15 / 2);
        assertThat(run.phase("spike")).successRate().isAtLeast(0.99);
        assertThat(recorder.snapshot().attributes().get("load.agents")).contains("2 agents (Docker engine tcp://");
    }
    // end::remote-agents[]
}
