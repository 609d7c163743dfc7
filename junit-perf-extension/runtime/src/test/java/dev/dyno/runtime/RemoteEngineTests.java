package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.config.DynoAssumptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Docker runtime against an engine it must treat as remote: one reached over TCP, whose
 * containers' cgroups it does not look for on this machine. The build's {@code remote-engine}
 * execution runs these, with the runtime contract ({@link DockerRuntimeTests}), with
 * {@code DOCKER_HOST=tcp://127.0.0.1:23750}, {@code DOCKER_TLS_VERIFY=1} and no
 * {@code TESTCONTAINERS_HOST_OVERRIDE}: a second engine, TLS only, that
 * {@code .ci/second-engine start} runs beside the first (its own data, state and containerd
 * namespaces). Skipped with the reason where it is not running; failed instead where
 * {@code DYNO_REQUIRE_DOCKER=true} (CI).
 */
@DisplayName("DockerRuntime on a remote engine (DOCKER_HOST=tcp://…)")
class RemoteEngineTests {

    private DockerRuntime runtime;

    @BeforeAll
    static void needsTheRemoteEngine() {
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost == null || !dockerHost.startsWith("tcp://")) {
            DynoAssumptions.abort("runs in the build's remote-engine execution only, with DOCKER_HOST=tcp://… (it is "
                    + dockerHost + " here)");
        }
        Runtimes.assumeDocker();
    }

    @BeforeEach
    void open() {
        runtime = DockerRuntime.open();
    }

    @AfterEach
    void closeAndCount() {
        runtime.close();
        assertThat(runtime.labelledContainers(false)).as("containers left by the run").isEmpty();
        assertThat(runtime.labelledNetworks()).as("networks left by the run").isEmpty();
    }

    @Test
    @DisplayName("the runtime reaches the engine DOCKER_HOST names, treats it as remote, and its endpoints are on that engine's host")
    void reachesTheNamedEngine() {
        URI named = URI.create(System.getenv("DOCKER_HOST"));

        assertThat(runtime.engine()).isEqualTo(named);
        assertThat(runtime.engineOnThisMachine()).isFalse();
        // from the engine's address, with no TESTCONTAINERS_HOST_OVERRIDE: never an assumed localhost
        assertThat(runtime.host()).isEqualTo(named.getHost());
        RunningWorkload service = runtime.start(WorkloadSpec.ofCommand("sleep", "30"));
        assertThat(service.endpoint(8080)).isEqualTo(new Endpoint(named.getHost(), 8080));
    }

    @Test
    @DisplayName("with DOCKER_TLS_VERIFY the runtime speaks TLS with its client certificate: the engine answers nothing else")
    void tlsWhenConfigured() throws Exception {
        assumeTls();
        URI named = URI.create(System.getenv("DOCKER_HOST"));
        // the runtime above reached it; a plain HTTP request to the same port gets no answer from the engine
        HttpResponse<String> plain;
        try {
            plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + named.getHost() + ":"
                    + named.getPort() + "/_ping")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException refused) {
            return; // closed without an HTTP answer: not spoken to in plain HTTP
        }
        assertThat(plain.statusCode()).as("plain HTTP to a TLS-only engine").isEqualTo(400);
        assertThat(plain.body()).contains("HTTPS");
        assertThat(runtime.labelledContainers(false)).isEmpty(); // and the runtime's own calls went through
    }

    private static void assumeTls() {
        if (!"1".equals(System.getenv("DOCKER_TLS_VERIFY"))) {
            DynoAssumptions.abort("the engine is reached without TLS here (DOCKER_TLS_VERIFY is not 1)");
        }
    }

    @Test
    @DisplayName("CPU, throttling and memory come from the engine's stats stream, a reading a second, without holding up the caller")
    void countersFromTheEnginesStats() throws InterruptedException {
        RunningWorkload busy = runtime.start(WorkloadSpec.ofCommand("python3", "-c", WorkloadRuntimeContract.BUSY_LOOP)
                .withCpuLimit(0.5));
        assertThat(((DockerWorkload) busy).countersSource()).isEqualTo("the engine's stats stream");

        List<ResourceSample> samples = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 40; i++) { // 4 s, one sample each 100 ms, as @CpuBoost takes them
            samples.add(busy.sample());
            Thread.sleep(100);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // a stats call of its own per sample would wait for the engine's next reading: 40 samples, 40 s and more
        assertThat(took).as("40 samples, 100 ms apart").isLessThan(Duration.ofSeconds(10));

        List<ResourceSample> readings = samples.stream().distinct().toList();
        assertThat(readings.size()).as("distinct readings in 4 s").isBetween(2, 8);
        ResourceSample first = readings.get(1);
        ResourceSample last = readings.get(readings.size() - 1);
        double cores = (last.cpuTime().toNanos() - first.cpuTime().toNanos())
                / (double) Duration.between(first.timestamp(), last.timestamp()).toNanos();
        assertThat(cores).as("CPU over the readings, by the engine's clock").isBetween(0.35, 0.6);
        assertThat(last.throttledPeriods()).as("held back by its 0.5-CPU quota").isPositive();
        assertThat(last.memoryBytes()).isPositive();
        assertThat(busy.visibleCpus()).isPositive();
    }
}
