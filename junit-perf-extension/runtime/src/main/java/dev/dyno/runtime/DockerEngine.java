package dev.dyno.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.transport.SSLConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * One Docker engine a {@link DockerRuntime} starts workloads on, with what the runtime learns about
 * it once: where its containers' endpoints are, whether its cgroups can be read here, whether it
 * can give containers GPUs, which images it has, and the run's bridge network on it.
 *
 * <p>The engine Testcontainers finds ({@code DOCKER_HOST}, its configuration, the local socket)
 * uses Testcontainers' own client, and its containers carry Testcontainers' session labels, so
 * that its reaper removes them if this JVM is killed. Any other engine
 * ({@value dev.dyno.config.DynoConfiguration#DOCKER_HOSTS_PROPERTY}) gets a client of its own;
 * what a killed JVM leaves there is removed by the next runtime that opens on it
 * ({@link Reaper}).
 */
final class DockerEngine {

    private static final java.lang.ref.Cleaner CLIENTS = java.lang.ref.Cleaner.create();

    /** The engine's address, as given or as Testcontainers found it. */
    final URI uri;
    final DockerClient client;
    /** The host its containers' endpoints are on: {@code localhost} for an engine on this machine. */
    final String host;
    /** Whether its containers' cgroups are on this machine, so their counters are read here. */
    final boolean onThisMachine;
    /** Whether this is the engine Testcontainers found, whose reaper (Ryuk) removes containers labelled for it. */
    final boolean testcontainers;
    /** Where its containers' published ports are bound ({@link #publishAddress}). */
    final String publishAddress;
    private final Map<String, Optional<String>> imageProblems = new ConcurrentHashMap<>();
    private volatile Optional<String> gpuProblem;
    /** The run's bridge network on this engine, created for its first {@link NetworkMode#BRIDGE} workload. */
    private String bridgeNetwork;

    private DockerEngine(URI uri, DockerClient client, String host, boolean testcontainers) {
        this.uri = uri;
        this.client = client;
        this.host = host;
        this.testcontainers = testcontainers;
        this.onThisMachine = reachedThroughSocket(uri);
        this.publishAddress = publishAddress(host);
    }

    /** The engine Testcontainers finds, through its client. */
    static DockerEngine testcontainers() {
        DockerClientFactory factory = DockerClientFactory.instance();
        return new DockerEngine(factory.getTransportConfig().getDockerHost(), factory.client(),
                factory.dockerHostIpAddress(), true);
    }

    /**
     * An engine named in {@value dev.dyno.config.DynoConfiguration#DOCKER_HOSTS_PROPERTY}, through a
     * client of its own; checked to answer.
     *
     * @throws RuntimeUnavailableException when it does not answer, with the engine's address and why
     */
    static DockerEngine at(EngineAddress address) {
        SSLConfig tls = address.certificates().map(PemDirectory::new).orElse(null);
        DockerClient client = DockerClientProviderStrategy.getClientForConfig(
                TransportConfig.builder().dockerHost(address.uri()).sslConfig(tls).build());
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw new RuntimeUnavailableException("the Docker engine " + address + " (" + address.source()
                    + ") does not answer: " + rootMessage(e));
        }
        String scheme = address.uri().getScheme();
        String host = "tcp".equals(scheme) || "http".equals(scheme) || "https".equals(scheme)
                ? address.uri().getHost() : "localhost";
        return new DockerEngine(address.uri(), client, host, false);
    }

    /**
     * An engine reached through a socket of this machine ({@code unix://}, or a Windows named pipe)
     * runs here. One reached over TCP is treated as remote even at {@code 127.0.0.1}, where it may
     * be a tunnel to another host: its cgroups are not looked for here.
     */
    static boolean reachedThroughSocket(URI engine) {
        String scheme = engine == null ? null : engine.getScheme();
        return "unix".equals(scheme) || "npipe".equals(scheme);
    }

    /**
     * Where a container's ports are published: the loopback only when the engine's host is this
     * machine's loopback (nothing else needs to reach them, and this machine allows nothing
     * else); every address of a remote engine's host, which this machine must reach.
     */
    static String publishAddress(String engineHost) {
        try {
            return InetAddress.getByName(engineHost).isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0";
        } catch (UnknownHostException e) {
            return "0.0.0.0";
        }
    }

    /** How the report names it: {@code Docker engine tcp://10.0.0.5:2376 (remote; endpoints on 10.0.0.5)}. */
    String where() {
        return "Docker engine " + placement();
    }

    /** Its address and where it is: {@code tcp://10.0.0.5:2376 (remote; endpoints on 10.0.0.5)}. */
    String placement() {
        return uri + (onThisMachine ? " (on this machine)" : " (remote; endpoints on " + host + ")");
    }

    /**
     * Why {@code image} cannot be had on this engine, or empty once it is present: pulled where it
     * is missing (once per runtime; a failed pull is not retried by the same runtime).
     */
    Optional<String> imageProblem(String image, Function<String, Optional<String>> find) {
        return imageProblems.computeIfAbsent(image, find);
    }

    /** Why this engine cannot give containers GPUs, asked once: its runtimes change only when dockerd restarts. */
    Optional<String> gpuProblem() {
        Optional<String> problem = gpuProblem;
        if (problem == null) {
            Info info = client.infoCmd().exec();
            problem = DockerRuntime.nvidiaRuntimeProblem(info.getRuntimes(), info.getRawValues().get("DefaultRuntime"));
            gpuProblem = problem;
        }
        return problem;
    }

    /** The run's own bridge network on this engine, created (labelled like its containers) on first use. */
    synchronized String bridgeNetwork(String name, Map<String, String> labels) {
        if (bridgeNetwork == null) {
            client.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels).exec();
            bridgeNetwork = name;
        }
        return bridgeNetwork;
    }

    /**
     * Removes the run's bridge network once its containers are gone. The engine detaches a removed
     * container's endpoint a moment after the removal returns, and refuses to remove a network
     * with an endpoint ("has active endpoints"), so the removal is tried again for a few seconds;
     * what still fails is left to the next runtime's reaper, and said.
     */
    synchronized void removeBridgeNetwork() {
        if (bridgeNetwork == null) {
            return;
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                client.removeNetworkCmd(bridgeNetwork).exec();
                break;
            } catch (NotFoundException e) {
                break; // removed already
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    System.err.println("[dyno] could not remove the run's network " + bridgeNetwork + " on " + uri
                            + " (the next runtime to open there removes it): " + e.getMessage());
                    break;
                }
                WorkloadCgroup.sleepQuietly(100);
            }
        }
        bridgeNetwork = null;
    }

    /** The networks on this engine carrying {@code label=value}, by name. */
    List<String> networksLabelled(String label, String value) {
        return client.listNetworksCmd().withFilter("label", List.of(label + "=" + value)).exec().stream()
                .map(Network::getName).toList();
    }

    /**
     * Closes a client of its own once {@code owner} is unreachable; Testcontainers' stays open for the
     * rest of the JVM. Not at the owner's {@code close()}: a leak check asks the engine what is left
     * after that ({@link DockerRuntime#labelledContainers}).
     */
    void closeWhenUnreachable(Object owner) {
        if (!testcontainers) {
            DockerClient own = client; // the action must not hold the owner, or it is never unreachable
            CLIENTS.register(owner, () -> closeQuietly(own));
        }
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            // nothing left to do with it
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    /**
     * The TLS set-up of an engine from a directory in the layout {@code docker --tlsverify} and
     * Testcontainers read: {@code ca.pem} (the engine's CA), {@code cert.pem} and {@code key.pem}
     * (this client's certificate and its PKCS#8 key, as {@code openssl req -newkey … -nodes} writes
     * it).
     */
    static final class PemDirectory implements SSLConfig {

        private final Path directory;

        PemDirectory(Path directory) {
            this.directory = Objects.requireNonNull(directory);
        }

        @Override
        public SSLContext getSSLContext() throws KeyManagementException {
            try {
                List<Certificate> ca = certificates(directory.resolve("ca.pem"));
                List<Certificate> chain = certificates(directory.resolve("cert.pem"));
                PrivateKey key = privateKey(directory.resolve("key.pem"));
                char[] password = new char[0];
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                keys.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                for (int i = 0; i < ca.size(); i++) {
                    trust.setCertificateEntry("ca-" + i, ca.get(i));
                }
                KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, password);
                TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
                return context;
            } catch (IOException | GeneralSecurityException e) {
                KeyManagementException failure = new KeyManagementException("cannot use the engine's certificates in "
                        + directory + ": " + e.getMessage());
                failure.initCause(e);
                throw failure;
            }
        }

        private static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
            try (InputStream in = Files.newInputStream(file)) {
                return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
        }

        private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
            String pem = Files.readString(file);
            if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new GeneralSecurityException(file + " holds no PKCS#8 key (\"BEGIN PRIVATE KEY\"); convert it "
                        + "with `openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + "`");
            }
            String base64 = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27,
                    pem.indexOf("-----END PRIVATE KEY-----")).replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(base64);
            GeneralSecurityException last = null;
            for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException e) {
                    last = e;
                }
            }
            throw new GeneralSecurityException("the key in " + file + " is neither RSA, EC nor Ed25519", last);
        }
    }
}
