package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.dyno.config.DynoConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Docker runtime over two engines ({@code dyno.docker.hosts}): the engine Testcontainers finds
 * and the second engine {@code .ci/second-engine start} runs on this machine, reached over TCP with
 * TLS (its address and certificates from the build's {@code dyno.test.second-engine}). Each check
 * asks each engine itself, with a client of the test's own, what it holds. Skipped with the reason
 * where the second engine does not answer; failed instead where {@code DYNO_REQUIRE_DOCKER=true} (CI).
 */
@DisplayName("DockerRuntime over several engines (dyno.docker.hosts)")
class SeveralEnginesTests {

    /** The second engine's entry, {@code tcp://127.0.0.1:23750?certs=/tmp/dyno-engine2/certs}, from the build. */
    static final String SECOND_ENGINE_PROPERTY = "dyno.test.second-engine";
    /** On both engines (.ci/second-engine loads it into the second). */
    static final String IMAGE = "dyno/jre17-python:local";

    private static String second;
    private static DockerEngine firstEngine;
    private static DockerEngine secondEngine;
    private DockerRuntime runtime;

    @BeforeAll
    static void bothEnginesAnswer() {
        Runtimes.assumeDocker();
        second = System.getProperty(SECOND_ENGINE_PROPERTY, "tcp://127.0.0.1:23750?certs=/tmp/dyno-engine2/certs");
        Optional<String> problem;
        try {
            secondEngine = DockerEngine.at(EngineAddress.parseAll(second).get(0));
            problem = Optional.empty();
        } catch (RuntimeException e) {
            problem = Optional.of("the second engine " + second + " is not there (bash .ci/second-engine start runs it): "
                    + e.getMessage());
        }
        Runtimes.assumeDocker(problem, System.getenv(Runtimes.REQUIRE_DOCKER_ENV));
        firstEngine = DockerEngine.testcontainers();
    }

    @BeforeEach
    void open() {
        runtime = DockerRuntime.open(DynoConfiguration.current().with(DynoConfiguration.DOCKER_HOSTS_PROPERTY,
                "default, " + second).with(DynoConfiguration.DOCKER_IMAGE_PROPERTY, IMAGE));
    }

    @AfterEach
    void closeAndCount() {
        runtime.close();
        assertThat(runtime.labelledContainers(false)).as("containers left on either engine").isEmpty();
        assertThat(runtime.labelledNetworks()).as("networks left on either engine").isEmpty();
    }

    @Test
    @DisplayName("starts go to the engines in turn; each workload is on the engine it names, and on no other")
    void startsTakeTurns() {
        assertThat(runtime.engines()).containsExactly(firstEngine.uri, secondEngine.uri);
        assertThat(runtime.where()).startsWith("2 Docker engines, in turn: " + firstEngine.uri + " (on this machine); "
                + secondEngine.uri + " (remote; endpoints on 127.0.0.1)");
        List<RunningWorkload> workloads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workloads.add(runtime.start(WorkloadSpec.ofCommand("sleep", "30").withName("turn-" + i)));
        }
        for (int i = 0; i < 4; i++) {
            DockerEngine expected = i % 2 == 0 ? firstEngine : secondEngine;
            DockerEngine other = i % 2 == 0 ? secondEngine : firstEngine;
            RunningWorkload workload = workloads.get(i);
            assertThat(workload.where()).isEqualTo(expected.where());
            assertThat(expected.client.inspectContainerCmd(workload.id()).exec().getState().getRunning()).isTrue();
            assertThatThrownBy(() -> other.client.inspectContainerCmd(workload.id()).exec())
                    .isInstanceOf(NotFoundException.class);
        }
        assertThat(runtime.labelledContainers(true)).hasSize(4);
    }

    @Test
    @DisplayName("startAll starts them together, each on the engine whose turn it is in the specs' order")
    void startAllKeepsTheTurns() {
        List<RunningWorkload> workloads = runtime.startAll(java.util.Collections.nCopies(6,
                WorkloadSpec.ofCommand("sleep", "30")));
        assertThat(workloads).extracting(RunningWorkload::where).containsExactly(firstEngine.where(),
                secondEngine.where(), firstEngine.where(), secondEngine.where(), firstEngine.where(), secondEngine.where());
        assertThat(workloads).allMatch(RunningWorkload::isRunning);
    }

    @Test
    @DisplayName("a service on the second engine answers at that engine's host, on its host network")
    void endpointsOnTheirOwnEngine() throws Exception {
        runtime.start(WorkloadSpec.ofCommand("sleep", "30")); // the first engine's turn
        int port = freePort();
        RunningWorkload server = runtime.start(WorkloadSpec.ofCommand("python3", "-m", "http.server", "--bind",
                "127.0.0.1", Integer.toString(port)).withReadiness(Readiness.http(URI.create("http://127.0.0.1:" + port
                + "/"))));
        assertThat(server.where()).isEqualTo(secondEngine.where());
        Endpoint endpoint = server.endpoint(port);
        assertThat(endpoint.host()).isEqualTo("127.0.0.1");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                + endpoint.host() + ":" + endpoint.port() + "/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a directory is copied in whole, modes kept, on either engine")
    void directoriesCopiedInOnEither(@TempDir Path dir) throws IOException {
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(Files.createDirectories(app.resolve("data")).resolve("input.txt"), "forty-two\n");
        Path run = Files.writeString(app.resolve("run.sh"), "#!/bin/sh\ncat \"$(dirname \"$0\")/data/input.txt\"\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        WorkloadSpec spec = WorkloadSpec.ofCommand("./app/run.sh").withFile(app, "app").withWorkingDir("/work");
        for (int i = 0; i < 2; i++) {
            RunningWorkload workload = runtime.start(spec.withName("copy-" + i));
            assertThat(workload.awaitExit(Duration.ofSeconds(30))).as(workload.where() + ": " + workload.stderr())
                    .isZero();
            assertThat(workload.stdout()).isEqualTo("forty-two\n");
        }
    }

    @Test
    @DisplayName("a spec only one engine can run goes to that one, turn or not")
    void passesOverAnEngineThatCannotRunIt() {
        // built locally and never loaded into the second engine, which has no registry to pull it from
        WorkloadSpec onlyFirst = WorkloadSpec.ofCommand("sleep", "30").withImage("dyno/node18-heavy:local");
        Optional<String> missing = runtime.unsupportedReason(onlyFirst);
        if (missing.isPresent()) {
            throw new AssertionError("the first engine has dyno/node18-heavy:local (bash .ci/docker-up builds it): "
                    + missing.get());
        }
        runtime.start(WorkloadSpec.ofCommand("sleep", "30")); // the first engine's turn
        RunningWorkload a = runtime.start(onlyFirst);           // the second's turn: it cannot, so the first
        RunningWorkload b = runtime.start(onlyFirst);
        assertThat(List.of(a.where(), b.where())).containsOnly(firstEngine.where());
    }

    @Test
    @DisplayName("a bad entry or an engine that does not answer is refused before anything starts, naming it")
    void badEngines() {
        assertThatThrownBy(() -> DockerRuntime.open(DynoConfiguration.current().with(
                DynoConfiguration.DOCKER_HOSTS_PROPERTY, "default, tcp://127.0.0.1")))
                .isInstanceOf(RuntimeUnavailableException.class)
                .hasMessage("dyno.docker.hosts = 'default, tcp://127.0.0.1': 'tcp://127.0.0.1' is not allowed; expected "
                        + "tcp://host:port, such as tcp://127.0.0.1:2376: default (the engine Testcontainers finds), "
                        + "unix:///path/to/docker.sock, or tcp://host:port with ?certs=/dir/of/ca.pem,cert.pem,key.pem "
                        + "for TLS; entries separated by commas");
        int closed = freePort();
        assertThatThrownBy(() -> DockerRuntime.open(DynoConfiguration.current().with(
                DynoConfiguration.DOCKER_HOSTS_PROPERTY, "default, tcp://127.0.0.1:" + closed)))
                .isInstanceOf(RuntimeUnavailableException.class)
                .hasMessageStartingWith("the Docker engine tcp://127.0.0.1:" + closed + " (tcp://127.0.0.1:" + closed
                        + ") does not answer: ");
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
