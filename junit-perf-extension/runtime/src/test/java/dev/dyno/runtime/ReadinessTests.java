package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadinessTests {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://127.0.0.1:8080/health", "http://localhost:8080/", "http://[::1]:8080/x?y=1"})
    @DisplayName("an HTTP probe names the workload's own loopback and a port")
    void loopbackUris(String uri) {
        Readiness.Http http = (Readiness.Http) Readiness.http(URI.create(uri));

        assertThat(http.port()).isEqualTo(8080);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://10.0.0.5:8080/", "http://example.org:8080/", "http://127.0.0.1/", "ftp://127.0.0.1:21/"})
    @DisplayName("an HTTP probe elsewhere than the workload's loopback, or without a port, is refused")
    void otherUris(String uri) {
        assertThatThrownBy(() -> Readiness.http(URI.create(uri)))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.readiness = " + uri + ": not allowed");
    }

    @Test
    @DisplayName("the probe requests the URI's path and query")
    void pathAndQuery() {
        Readiness.Http http = (Readiness.Http) Readiness.http(URI.create("http://127.0.0.1:9000/ready?deep=true"));

        assertThat(http.pathAndQuery()).isEqualTo("/ready?deep=true");
        assertThat(new Endpoint("localhost", 9000).uri("http", http.pathAndQuery()))
                .isEqualTo(URI.create("http://localhost:9000/ready?deep=true"));
    }

    @Test
    @DisplayName("conditions describe themselves as they are written")
    void descriptions() {
        assertThat(Readiness.logLine("Started .* in")).hasToString("logLine(/Started .* in/)");
        assertThat(Readiness.metricsJson()).hasToString("metricsJson()");
        assertThat(Readiness.exit()).hasToString("exit()");
    }
}
