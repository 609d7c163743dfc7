package dev.dyno.load;

import static dev.dyno.load.TestCertificates.HOST;
import static dev.dyno.load.TestCertificates.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS and named hosts, against TLS servers on 127.0.0.1 with certificates made by keytool. The
 * named host {@value TestCertificates#HOST} is only ever reached through a resolve rule to 127.0.0.1.
 */
@DisplayName("HTTPS and named hosts")
@Timeout(60)
class HttpsLoadTests {

    @TempDir
    static Path dir;
    static TestCertificates certificates;
    static Path otherPem;

    @BeforeAll
    static void certificates() throws Exception {
        certificates = new TestCertificates(dir);
        otherPem = dir.resolve("other.pem");
        Files.writeString(otherPem, pem(certificates.otherHost, "other"));
    }

    private static String pem(Path store, String alias) throws Exception {
        java.security.cert.Certificate certificate = TestCertificates.load(store).getCertificate(alias);
        return "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    record Run(PhaseStats stats, MetricsSnapshot metrics, HttpTarget target) {
    }

    private static Run run(URI uri, Map<String, String> configuration, int requests) {
        Recorder recorder = Recorder.create();
        try (HttpTarget target = new HttpTarget(HttpRequestSpec.get(uri).withConnections(2).withTimeout(Duration.ofSeconds(5)),
                1, DynoConfiguration.of(configuration));
             LoadGenerator generator = new LoadGenerator(target, recorder, LoadGenerator.Settings.DEFAULT
                     .withDrainTimeout(Duration.ofSeconds(10)))) {
            PhaseStats stats = generator.closed("users", 2, requests, Duration.ofSeconds(20)).stats();
            return new Run(stats, recorder.snapshot(), target);
        }
    }

    private static Map<String, String> resolve(RawHttpServer server, String... more) {
        Map<String, String> configuration = new HashMap<>();
        configuration.put(DynoConfiguration.LOAD_RESOLVE_PROPERTY, HOST + ":" + server.port() + ":127.0.0.1");
        for (int i = 0; i < more.length; i += 2) {
            configuration.put(more[i], more[i + 1]);
        }
        return configuration;
    }

    private static URI named(RawHttpServer server) {
        return URI.create("https://" + HOST + ":" + server.port() + "/items?page=2");
    }

    @Test
    @DisplayName("reaches a named host at the address of a resolve rule, with its name in Host, SNI and the certificate check, trusting a PEM CA file")
    void namedHostOverTls() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK, certificates.serverContext(certificates.server, null), false)) {
            Run run = run(named(server), resolve(server, DynoConfiguration.LOAD_TLS_CA_FILE_PROPERTY,
                    certificates.serverPem.toString()), 40);

            assertThat(run.stats().ok()).isEqualTo(40);
            assertThat(server.requests()).hasSize(40).allSatisfy(request -> assertThat(request)
                    .startsWith("GET /items?page=2 HTTP/1.1\r\n").contains("\r\nHost: " + HOST + ":" + server.port() + "\r\n"));
            assertThat(server.serverNames()).hasSize(2).allSatisfy(sni -> assertThat(sni).contains("value=" + HOST));
            assertThat(run.target().addresses()).isEqualTo("127.0.0.1 (dyno.load.resolve " + HOST + ":" + server.port()
                    + ":127.0.0.1)");
            assertThat(run.target().traffic()).isEqualTo(HOST + ":" + server.port() + " at 127.0.0.1: 2 connections");
            assertThat(run.target().negotiated()).matches("TLSv1\\.[23] TLS_.+");
            assertThat(run.metrics().timer("http.connect")).hasValueSatisfying(t -> assertThat(t.count()).isEqualTo(2));
            assertThat(run.metrics().timer("http.tls_handshake")).hasValueSatisfying(t -> {
                assertThat(t.count()).isEqualTo(2);
                assertThat(t.percentile(50)).isPositive();
            });
        }
    }

    @Test
    @DisplayName("fails the handshake when the certificate does not name the host, though it is trusted (negative control)")
    void hostNameMismatch() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK, certificates.serverContext(certificates.otherHost, null), false)) {
            Run run = run(named(server), resolve(server, DynoConfiguration.LOAD_TLS_CA_FILE_PROPERTY, otherPem.toString()), 6);

            assertThat(run.stats().ok()).isZero();
            assertThat(run.stats().failures()).containsOnlyKeys(Outcome.TLS);
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    @DisplayName("trusts a PKCS12 trust store from the configuration, and by default only the JDK's trust store")
    void trustStore() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK, certificates.serverContext(certificates.server, null), false)) {
            Run trusted = run(named(server), resolve(server, DynoConfiguration.LOAD_TLS_TRUST_STORE_PROPERTY,
                    certificates.trustStore.toString(), DynoConfiguration.LOAD_TLS_TRUST_STORE_PASSWORD_PROPERTY, PASSWORD), 10);
            Run byDefault = run(named(server), resolve(server), 4);

            assertThat(trusted.stats().ok()).isEqualTo(10);
            assertThat(trusted.target().tls()).hasValueSatisfying(tls -> assertThat(tls.description())
                    .isEqualTo("trust store " + certificates.trustStore).doesNotContain(PASSWORD));
            assertThat(byDefault.stats().ok()).isZero();
            assertThat(byDefault.stats().failures()).containsOnlyKeys(Outcome.TLS);
            assertThat(byDefault.target().tls().orElseThrow().description()).isEqualTo("the JDK's trust store");
        }
    }

    @Test
    @DisplayName("presents the client certificate of a PKCS12 key store to a server that requires one, and is refused without it")
    void mutualTls() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK,
                certificates.serverContext(certificates.server, certificates.client), true)) {
            Run with = run(named(server), resolve(server, DynoConfiguration.LOAD_TLS_CA_FILE_PROPERTY,
                    certificates.serverPem.toString(), DynoConfiguration.LOAD_TLS_KEY_STORE_PROPERTY,
                    certificates.client.toString(), DynoConfiguration.LOAD_TLS_KEY_STORE_PASSWORD_PROPERTY, PASSWORD), 10);
            int answered = server.requests().size();
            Run without = run(named(server), resolve(server, DynoConfiguration.LOAD_TLS_CA_FILE_PROPERTY,
                    certificates.serverPem.toString()), 4);

            assertThat(with.stats().ok()).isEqualTo(10);
            assertThat(with.target().tls().orElseThrow().description()).endsWith("client certificate from " + certificates.client);
            assertThat(without.stats().ok()).isZero();
            assertThat(without.stats().failures().keySet()).isNotEmpty().isSubsetOf(Outcome.TLS, Outcome.IO);
            assertThat(server.requests()).hasSize(answered);
        }
    }

    @Test
    @DisplayName("insecure accepts a certificate that is neither trusted nor names the host, and says so")
    void insecure() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK, certificates.serverContext(certificates.otherHost, null), false)) {
            Run run = run(named(server), resolve(server, DynoConfiguration.LOAD_TLS_INSECURE_PROPERTY, "true"), 10);

            assertThat(run.stats().ok()).isEqualTo(10);
            assertThat(run.target().tls().orElseThrow().insecure()).isTrue();
            assertThat(run.target().tls().orElseThrow().description()).startsWith("INSECURE: any certificate, any host name");
        }
    }

    @Test
    @DisplayName("times each new plain-HTTP connection, with no handshake timer, and sends to a literal address as given")
    void plainHttpConnectTimer() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            Run run = run(server.uri("/"), Map.of(), 20);

            assertThat(run.stats().ok()).isEqualTo(20);
            assertThat(run.metrics().timer("http.connect")).hasValueSatisfying(t -> assertThat(t.count()).isEqualTo(2));
            assertThat(run.metrics().timer("http.tls_handshake")).isEmpty();
            assertThat(run.target().addresses()).isEqualTo("127.0.0.1 (the address in the URL)");
        }
    }

    @Test
    @DisplayName("connects to another port with a four-part rule, as curl's --connect-to, keeping the URL's port in Host")
    void connectToAnotherPort() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            Run run = run(URI.create("http://" + HOST + ":8080/"), Map.of(DynoConfiguration.LOAD_RESOLVE_PROPERTY,
                    "other.example.test:8080:127.0.0.2, " + HOST + ":8080:127.0.0.1:" + server.port()), 4);

            assertThat(run.stats().ok()).isEqualTo(4);
            assertThat(server.requests()).allSatisfy(r -> assertThat(r).contains("\r\nHost: " + HOST + ":8080\r\n"));
            assertThat(run.target().traffic()).isEqualTo(HOST + ":8080 at 127.0.0.1 port " + server.port()
                    + ": 2 connections");
        }
    }

    @Test
    @DisplayName("lets a rule of the annotation win over the configuration's for the same host and port")
    void annotationRuleWins() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            URI uri = URI.create("http://" + HOST + ":8080/");
            List<HttpPlan.ResolveRule> rules = List.of(
                    HttpPlan.ResolveRule.parse(HOST + ":8080:127.0.0.1:" + server.port(), "http.resolve"),
                    HttpPlan.ResolveRule.parse(HOST + ":8080:127.0.0.2:1", DynoConfiguration.LOAD_RESOLVE_PROPERTY));
            try (HttpTarget target = new HttpTarget(uri, HttpPlan.of(HttpRequestSpec.get(uri)), rules, null, 1)) {
                assertThat(target.addresses()).isEqualTo("127.0.0.1 (http.resolve " + HOST + ":8080:127.0.0.1:"
                        + server.port() + ")");
            }
        }
    }

    @Test
    @DisplayName("rejects a missing trust store, a wrong password, a file that is not PEM and a malformed rule, naming the key")
    void badTlsSettings() throws Exception {
        Path missing = dir.resolve("nowhere.p12");
        assertThatThrownBy(() -> DynoConfiguration.of(Map.of(DynoConfiguration.LOAD_TLS_TRUST_STORE_PROPERTY, missing.toString())))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("dyno.load.tls.trustStore = \"" + missing + "\": allowed is a readable JKS or PKCS12 trust store,"
                        + " but there is no readable file " + missing);
        assertThatThrownBy(() -> HttpTls.of(DynoConfiguration.of(Map.of(
                DynoConfiguration.LOAD_TLS_TRUST_STORE_PROPERTY, certificates.trustStore.toString(),
                DynoConfiguration.LOAD_TLS_TRUST_STORE_PASSWORD_PROPERTY, "wrong")), false))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("dyno.load.tls.trustStore = \"" + certificates.trustStore + "\": allowed is a JKS or"
                        + " PKCS12 trust store (with dyno.load.tls.trustStorePassword when it has one); it could not be read:")
                .hasMessageNotContaining("wrong\"");
        assertThatThrownBy(() -> HttpTls.of(DynoConfiguration.of(Map.of(
                DynoConfiguration.LOAD_TLS_CA_FILE_PROPERTY, certificates.trustStore.toString())), false))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("dyno.load.tls.caFile = \"" + certificates.trustStore + "\": allowed is a PEM file of"
                        + " CA certificates");
        assertThatThrownBy(() -> DynoConfiguration.of(Map.of(DynoConfiguration.LOAD_RESOLVE_PROPERTY, HOST + ":443")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("dyno.load.resolve = \"" + HOST + ":443\": allowed are HOST:PORT:ADDRESS rules");
        assertThat(DynoConfiguration.of(Map.of(DynoConfiguration.LOAD_TLS_KEY_STORE_PASSWORD_PROPERTY, "hunter2")))
                .hasToString("DynoConfiguration{dyno.load.tls.keyStorePassword=***}");
    }
}
