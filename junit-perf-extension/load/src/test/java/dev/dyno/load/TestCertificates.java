package dev.dyno.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made with the JDK's keytool for the TLS tests: a server certificate
 * naming {@value #HOST} and 127.0.0.1, one naming only another host (the negative control for host
 * name checks), and a client certificate for mutual TLS. Everything in PKCS12 with {@value #PASSWORD}.
 */
final class TestCertificates {

    static final String HOST = "service.example.test";
    static final String PASSWORD = "changeit";

    final Path dir;
    /** The server's key and certificate for {@value #HOST} and 127.0.0.1. */
    final Path server;
    /** A key and certificate for other.example.test only. */
    final Path otherHost;
    /** The client's key and certificate, for mutual TLS. */
    final Path client;
    /** The server certificate as PEM: a CA file that trusts it. */
    final Path serverPem;
    /** A trust store holding the server certificate. */
    final Path trustStore;

    TestCertificates(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.server = dir.resolve("server.p12");
        this.otherHost = dir.resolve("other.p12");
        this.client = dir.resolve("client.p12");
        this.serverPem = dir.resolve("server.pem");
        this.trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-keyalg", "EC", "-alias", "server", "-dname", "CN=" + HOST, "-validity", "2",
                "-ext", "SAN=dns:" + HOST + ",ip:127.0.0.1", "-keystore", server.toString());
        keytool("-genkeypair", "-keyalg", "EC", "-alias", "other", "-dname", "CN=other.example.test", "-validity", "2",
                "-ext", "SAN=dns:other.example.test", "-keystore", otherHost.toString());
        keytool("-genkeypair", "-keyalg", "EC", "-alias", "client", "-dname", "CN=load-client", "-validity", "2",
                "-keystore", client.toString());
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", server.toString(), "-file", serverPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", serverPem.toString(), "-keystore",
                trustStore.toString());
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }

    /** A server context with {@code keyStore}'s key, trusting {@code trusted} (client certificates) when given. */
    SSLContext serverContext(Path keyStore, Path trusted) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore), PASSWORD.toCharArray());
        TrustManagerFactory trust = null;
        if (trusted != null) {
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trusted));
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        return context;
    }

    static KeyStore load(Path path) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
