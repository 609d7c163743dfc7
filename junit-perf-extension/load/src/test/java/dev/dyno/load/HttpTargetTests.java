package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Recorder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The HTTP target")
@Timeout(60)
class HttpTargetTests {

    private static PhaseStats closed(HttpRequestSpec spec, int users, long requests) {
        try (LoadTarget target = LoadTarget.http(spec);
             LoadGenerator generator = new LoadGenerator(target, Recorder.create(), LoadGenerator.Settings.DEFAULT
                     .withDrainTimeout(Duration.ofSeconds(10)))) {
            return generator.closed("users", users, requests, Duration.ofSeconds(20)).stats();
        }
    }

    @Test
    @DisplayName("sends a GET as wrk does, the request line and Host, the same every time")
    void getOnTheWire() throws IOException {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            PhaseStats stats = closed(HttpRequestSpec.get(server.uri("/health?deep=1")).withConnections(2), 2, 100);
            assertThat(stats.ok()).isEqualTo(100);
            assertThat(server.requests()).containsOnly("GET /health?deep=1 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\n\r\n").hasSize(100);
        }
    }

    @Test
    @DisplayName("sends a body with its length and type, the spec's headers, and no Expect: 100-continue")
    void postOnTheWire() throws IOException {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            HttpRequestSpec spec = HttpRequestSpec.post(server.uri("/generate"), "{\"max_tokens\":50}")
                    .withHeader("Content-Type", "application/json").withHeader("X-Run", "7");
            assertThat(closed(spec, 1, 3).ok()).isEqualTo(3);
            assertThat(server.requests()).hasSize(3).containsOnly(server.requests().get(0));
            assertThat(server.requests().get(0)).satisfies(request -> assertThat(request)
                    .startsWith("POST /generate HTTP/1.1\r\n")
                    .contains("\r\nHost: 127.0.0.1:" + server.port() + "\r\n", "\r\nX-Run: 7\r\n",
                            "\r\nContent-Length: 17\r\n", "\r\nContent-Type: application/json\r\n")
                    .doesNotContainIgnoringCase("expect").doesNotContainIgnoringCase("user-agent")
                    .endsWith("\r\n\r\n{\"max_tokens\":50}"));
        }
    }

    @Test
    @DisplayName("keeps a connection per user: 200 requests from 2 users over 2 connections")
    void keepsConnections() throws IOException {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            PhaseStats stats = closed(HttpRequestSpec.get(server.uri("/")).withConnections(2), 2, 200);
            assertThat(stats.ok()).isEqualTo(200);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("shares one connection among four users: requests wait for it in turn and all are answered")
    void moreUsersThanConnections() throws IOException {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            PhaseStats stats = closed(HttpRequestSpec.get(server.uri("/")).withConnections(1), 4, 400);
            assertThat(stats.ok()).isEqualTo(400);
            assertThat(server.connections()).isEqualTo(1);
            // An answer hands the connection to the request waiting longest, not to its own user's next one,
            // so a typical request waits for the other three users' requests: latency about 4 × service time.
            assertThat(stats.latency().percentile(50))
                    .isGreaterThan(stats.serviceTime().percentile(50).multipliedBy(2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {RawHttpServer.OK_THEN_CLOSE, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"})
    @DisplayName("opens a new connection after an answer that ends its connection, without a failed request")
    void connectionClose(String answer) throws IOException {
        try (RawHttpServer server = new RawHttpServer(answer)) {
            PhaseStats stats = closed(HttpRequestSpec.get(server.uri("/")).withConnections(2), 2, 40);
            assertThat(stats.failed()).isZero();
            assertThat(stats.ok()).isEqualTo(40);
            assertThat(server.connections()).isEqualTo(40);
        }
    }

    @Test
    @DisplayName("opens new connections when the server closed the idle ones, without a failed request")
    void serverClosedIdleConnections() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK);
             LoadTarget target = LoadTarget.http(HttpRequestSpec.get(server.uri("/")).withConnections(2));
             LoadGenerator generator = new LoadGenerator(target, Recorder.create(), LoadGenerator.Settings.DEFAULT)) {
            assertThat(generator.closed("before", 2, 20, Duration.ofSeconds(20)).stats().ok()).isEqualTo(20);
            server.dropConnections();
            Thread.sleep(300); // the closes reach the client; its idle connections are then closed ones
            PhaseStats after = generator.closed("after", 2, 20, Duration.ofSeconds(20)).stats();
            assertThat(after.failed()).isZero();
            assertThat(after.ok()).isEqualTo(20);
            assertThat(server.connections()).isEqualTo(4);
        }
    }

    @Test
    @DisplayName("ends every request when the target closes: the one on the wire as I/O, those waiting for its connection as errors")
    void closeWithRequestsWaiting() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.SILENCE)) {
            java.util.Map<Outcome, Integer> ended = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(4);
            LoadTarget target = LoadTarget.http(HttpRequestSpec.get(server.uri("/")).withConnections(1)
                    .withTimeout(Duration.ofSeconds(30)));
            for (int i = 0; i < 4; i++) {
                target.send(System.nanoTime(), System.nanoTime(), (intended, sent, outcome) -> {
                    ended.merge(outcome, 1, Integer::sum);
                    all.countDown();
                });
            }
            while (server.requests().isEmpty()) {
                Thread.sleep(10); // the first request is on the wire; the other three wait for its connection
            }
            target.close();
            assertThat(all.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("every request ended").isTrue();
            assertThat(ended).containsEntry(Outcome.IO, 1).containsEntry(Outcome.ERROR, 3);
            target.close(); // a second close does nothing
        }
    }

    @Test
    @DisplayName("counts a request without an answer as a timeout once the request timeout has passed")
    void timeout() throws IOException {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.SILENCE)) {
            long start = System.nanoTime();
            PhaseStats stats = closed(HttpRequestSpec.get(server.uri("/")).withTimeout(Duration.ofMillis(500)), 2, 4);
            assertThat(stats.failures()).containsEntry(Outcome.TIMEOUT, 4L);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(8));
        }
    }

    @Test
    @DisplayName("runs the I/O threads the configuration asks for, and rejects a count out of range, naming it")
    void ioThreads() {
        assertThat(HttpTarget.ioThreads(DynoConfiguration.of(Map.of()))).isEqualTo(HttpTarget.DEFAULT_IO_THREADS)
                .isBetween(1, 4);
        assertThat(HttpTarget.ioThreads(DynoConfiguration.of(Map.of(LoadTarget.IO_THREADS_PROPERTY, " 3 ")))).isEqualTo(3);
        for (String bad : new String[] {"0", "65", "two", ""}) {
            assertThatThrownBy(() -> DynoConfiguration.of(Map.of(LoadTarget.IO_THREADS_PROPERTY, bad)))
                    .isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessage("dyno.load.ioThreads = \"" + bad + "\": allowed is a whole number of I/O threads"
                            + " from 1 to 64, such as 2");
        }
    }
}
