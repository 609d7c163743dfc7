package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.dyno.runtime.DockerPreflight.Bridge;
import dev.dyno.runtime.DockerPreflight.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;

class DockerPreflightTests {

    private static final URI SOCKET = URI.create("unix:///var/run/docker.sock");
    private static final String RYUK = "testcontainers/ryuk:0.14.0";
    private static final String TINY = "alpine:3.17";
    private static final String NO_REGISTRY = "dial tcp: lookup registry.invalid: no such host";

    private static Settings ryukOn() {
        return new Settings(false, RYUK, false, false, SOCKET, TINY);
    }

    private static Settings ryukOff() {
        return new Settings(true, RYUK, false, false, SOCKET, TINY);
    }

    @Test
    @DisplayName("with Ryuk on and its image neither present nor pullable, the reason names the image, the failure and TESTCONTAINERS_RYUK_DISABLED=true")
    void ryukImageUnavailable() {
        FakeEngine engine = new FakeEngine(Set.of(), Map.of(RYUK, NO_REGISTRY), Bridge.WITH_GATEWAY);

        assertThat(DockerPreflight.problem(ryukOn(), engine)).hasValueSatisfying(why -> assertThat(why)
                .startsWith("Testcontainers starts its Ryuk container (image " + RYUK + ") before any other, and that "
                        + "image is not present on the Docker engine and pulling it failed: " + NO_REGISTRY + ". ")
                .contains("Set the environment variable TESTCONTAINERS_RYUK_DISABLED=true for the test JVM"));
        assertThat(engine.asked).containsExactly("has " + RYUK, "pull " + RYUK);
    }

    @Test
    @DisplayName("with Ryuk on and its image present, nothing is pulled and Docker can run")
    void ryukImagePresent() {
        FakeEngine engine = new FakeEngine(Set.of(RYUK), Map.of(), Bridge.WITH_GATEWAY);

        assertThat(DockerPreflight.problem(ryukOn(), engine)).isEmpty();
        assertThat(engine.asked).containsExactly("has " + RYUK);
    }

    @Test
    @DisplayName("with Ryuk on and its image missing but pullable, the pull is made and Docker can run")
    void ryukImagePullable() {
        FakeEngine engine = new FakeEngine(Set.of(), Map.of(), Bridge.WITH_GATEWAY);

        assertThat(DockerPreflight.problem(ryukOn(), engine)).isEmpty();
        assertThat(engine.asked).containsExactly("has " + RYUK, "pull " + RYUK);
    }

    @Test
    @DisplayName("with Ryuk disabled its image is neither looked for nor pulled")
    void ryukDisabled() {
        FakeEngine engine = new FakeEngine(Set.of(), Map.of(RYUK, NO_REGISTRY), Bridge.WITH_GATEWAY);

        assertThat(DockerPreflight.problem(ryukOff(), engine)).isEmpty();
        assertThat(engine.asked).isEmpty();
    }

    @Test
    @DisplayName("inside a container on a local socket, an engine without a bridge network needs TESTCONTAINERS_HOST_OVERRIDE")
    void inContainerWithoutBridge() {
        FakeEngine engine = new FakeEngine(Set.of(), Map.of(), Bridge.ABSENT);
        Settings inContainer = new Settings(true, RYUK, true, false, SOCKET, TINY);

        assertThat(DockerPreflight.problem(inContainer, engine)).hasValueSatisfying(why -> assertThat(why)
                .startsWith("this JVM runs inside a container (/.dockerenv exists) and reaches the Docker engine at "
                        + SOCKET + ", so Testcontainers takes the engine host's address from the gateway of the "
                        + "engine's 'bridge' network, which this engine does not have. ")
                .contains("Set the environment variable TESTCONTAINERS_HOST_OVERRIDE for the test JVM")
                .contains("localhost where the engine shares this JVM's network"));
    }

    @Test
    @DisplayName("inside a container, a bridge network without a gateway needs Testcontainers' tiny image, and where it cannot be pulled the reason names the override")
    void inContainerBridgeWithoutGateway() {
        FakeEngine engine = new FakeEngine(Set.of(), Map.of(TINY, NO_REGISTRY), Bridge.WITHOUT_GATEWAY);
        Settings inContainer = new Settings(true, RYUK, true, false, SOCKET, TINY);

        assertThat(DockerPreflight.problem(inContainer, engine)).hasValueSatisfying(why -> assertThat(why)
                .contains("runs image " + TINY + " to find the engine host's address, and that image is not present "
                        + "and pulling it failed: " + NO_REGISTRY)
                .contains("TESTCONTAINERS_HOST_OVERRIDE"));
        assertThat(DockerPreflight.problem(inContainer, new FakeEngine(Set.of(), Map.of(), Bridge.WITH_GATEWAY)))
                .as("with a gateway").isEmpty();
    }

    @Test
    @DisplayName("the bridge network is not asked for where Testcontainers does not look: host overridden, outside a container, or a TCP engine")
    void noGatewayLookup() {
        for (Settings settings : List.of(new Settings(true, RYUK, true, true, SOCKET, TINY),
                new Settings(true, RYUK, false, false, SOCKET, TINY),
                new Settings(true, RYUK, true, false, URI.create("tcp://127.0.0.1:2375"), TINY))) {
            FakeEngine engine = new FakeEngine(Set.of(), Map.of(), Bridge.ABSENT);

            assertThat(DockerPreflight.problem(settings, engine)).as("%s", settings).isEmpty();
            assertThat(engine.asked).as("%s", settings).isEmpty();
        }
    }

    @Test
    @DisplayName("a failure of Testcontainers' client in Ryuk names TESTCONTAINERS_RYUK_DISABLED=true; other failures do not")
    void clientFailures() {
        IllegalStateException ryuk = new IllegalStateException("Could not connect to Ryuk at localhost:32768");

        assertThat(DockerPreflight.clientFailure(ryuk, false))
                .startsWith("Testcontainers could not start its Ryuk container: Could not connect to Ryuk at localhost:32768. ")
                .contains("TESTCONTAINERS_RYUK_DISABLED=true");
        assertThat(DockerPreflight.clientFailure(ryuk, true)).doesNotContain("TESTCONTAINERS_RYUK_DISABLED");
        assertThat(DockerPreflight.clientFailure(new IllegalStateException("Status 404: {\"message\":\"network bridge not found\"}\n"), false))
                .isEqualTo("Testcontainers could not connect to the Docker engine: network bridge not found");
    }

    @Test
    @DisplayName("no reason points at this repository's scripts: each says what to do in the user's own environment")
    void noRepositoryScripts() {
        List<String> messages = new ArrayList<>();
        DockerPreflight.problem(ryukOn(), new FakeEngine(Set.of(), Map.of(RYUK, NO_REGISTRY), Bridge.ABSENT)).ifPresent(messages::add);
        DockerPreflight.problem(new Settings(true, RYUK, true, false, SOCKET, TINY),
                new FakeEngine(Set.of(), Map.of(), Bridge.ABSENT)).ifPresent(messages::add);
        DockerPreflight.problem(new Settings(true, RYUK, true, false, SOCKET, TINY),
                new FakeEngine(Set.of(), Map.of(TINY, NO_REGISTRY), Bridge.WITHOUT_GATEWAY)).ifPresent(messages::add);
        messages.add(DockerPreflight.clientFailure(new IllegalStateException("Ryuk"), false));
        messages.add(DockerPreflight.noEngine(new IllegalStateException("Could not find a valid Docker environment")));
        messages.add(DockerRuntime.missingImage("dyno/no-such:1", "dyno/no-such:1", NO_REGISTRY));

        assertThat(messages).hasSize(6).allSatisfy(message -> assertThat(message)
                .doesNotContain(".ci/").doesNotContain("docker-up").doesNotContain("build-local-images"));
        assertThat(messages.get(4)).isEqualTo("no Docker engine answers (Testcontainers found none: Could not find a valid "
                + "Docker environment); start one, or point DOCKER_HOST (or docker.host in ~/.testcontainers.properties) at one");
    }

    @Test
    @DisplayName("Ryuk's image and the tiny image are read from this Testcontainers version's classes")
    void imagesOfThisTestcontainers() {
        assertThat(DockerPreflight.constantOf("org/testcontainers/utility/RyukContainer.class", "testcontainers/ryuk:"))
                .hasValue(RYUK);
        assertThat(DockerPreflight.constantOf("org/testcontainers/DockerClientFactory.class", "alpine:")).hasValue(TINY);
        assertThat(DockerPreflight.constantOf("org/testcontainers/NoSuchClass.class", "alpine:")).isEmpty();
    }

    @Test
    @DisplayName("against the real engine, Ryuk's image where absent is pulled or reported within seconds, naming the setting")
    void realEngineRyukCheck(TestReporter reporter) throws IOException {
        Runtimes.assumeDocker();
        try (DockerClient client = probeClient()) {
            String ryuk = ImagePull.substituted(DockerPreflight.RYUK_IMAGE);
            Assumptions.assumeFalse(ImagePull.present(client, ryuk), ryuk + " is present on this engine: nothing to pull");
            long start = System.nanoTime();

            Optional<String> problem = DockerPreflight.problem(new Settings(false, ryuk, false, true, SOCKET, TINY),
                    new DockerPreflight.ClientEngine(client));

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            reporter.publishEntry("ryuk check", took.toMillis() + " ms");
            if (problem.isEmpty()) {
                // a registry answered: the check pulled the image, as Testcontainers would have
                assertThat(ImagePull.present(client, ryuk)).as("pulled").isTrue();
                return;
            }
            assertThat(problem.get()).startsWith("Testcontainers starts its Ryuk container (image " + ryuk + ")")
                    .contains("pulling it failed: ").contains("TESTCONTAINERS_RYUK_DISABLED=true");
            assertThat(took).as("a hang guard, not a benchmark").isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    @DisplayName("a JVM with Testcontainers' defaults (Ryuk on) learns within seconds why Docker cannot run, falls back to processes saying so once, and records why")
    void childWithRyukOn(@TempDir Path dir, TestReporter reporter) throws Exception {
        Runtimes.assumeDocker();
        Child child = runChild(dir, Map.of(), List.of(DockerPreflight.RYUK_DISABLED_ENV));
        reporter.publishEntry("docker check in a JVM with Ryuk on", child.value(DockerCheckMain.MILLIS) + " ms");

        assertThat(Long.parseLong(child.value(DockerCheckMain.MILLIS))).as("a hang guard; output:%n%s", child.output)
                .isLessThan(30_000);
        String reason = child.value(DockerCheckMain.REASON);
        Assumptions.assumeFalse(reason.equals("none"), "Ryuk could start on this engine: nothing to fall back from");
        assertThat(reason).as(child.output).contains("Ryuk").contains("TESTCONTAINERS_RYUK_DISABLED=true")
                .doesNotContain(".ci/");
        assertThat(child.values(DockerCheckMain.CHOSEN)).containsExactly("process", "process");
        assertThat(child.output.lines().filter(l -> l.startsWith("[dyno] workloads run as local processes")))
                .as(child.output).containsExactly("[dyno] workloads run as local processes, not in Docker "
                        + "(dyno.runtime=auto): " + reason);
        assertThat(child.value(DockerCheckMain.RECORDED)).isEqualTo(reason);
    }

    @Test
    @DisplayName("a JVM inside a container, on an engine without a bridge network and without TESTCONTAINERS_HOST_OVERRIDE, is told to set it")
    void childWithoutHostOverride(@TempDir Path dir) throws Exception {
        Runtimes.assumeDocker();
        try (DockerClient client = probeClient()) {
            Assumptions.assumeTrue(Files.exists(Path.of("/.dockerenv")), "this JVM does not run inside a container");
            Assumptions.assumeTrue(new DockerPreflight.ClientEngine(client).bridge() == Bridge.ABSENT,
                    "this engine has a bridge network");
            Assumptions.assumeTrue("unix".equals(DockerClientFactory.instance().getTransportConfig().getDockerHost()
                    .getScheme()), "the engine is not reached through a local socket");
        }
        Child child = runChild(dir, Map.of(DockerPreflight.RYUK_DISABLED_ENV, "true"),
                List.of(DockerPreflight.HOST_OVERRIDE_ENV));

        assertThat(child.value(DockerCheckMain.REASON)).as(child.output)
                .contains("'bridge' network, which this engine does not have").contains("TESTCONTAINERS_HOST_OVERRIDE");
        assertThat(child.values(DockerCheckMain.CHOSEN)).containsExactly("process", "process");
    }

    private static DockerClient probeClient() {
        return DockerClientProviderStrategy.getClientForConfig(DockerClientFactory.instance().getTransportConfig());
    }

    private record Child(String output) {
        String value(String prefix) {
            List<String> values = values(prefix);
            assertThat(values).as("lines starting with '%s' in:%n%s", prefix, output).hasSize(1);
            return values.get(0);
        }

        List<String> values(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
        }
    }

    private static Child runChild(Path dir, Map<String, String> set, List<String> unset) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = dir.resolve("child.log");
        ProcessBuilder fork = new ProcessBuilder(java, "-cp", classpath, DockerCheckMain.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        unset.forEach(fork.environment()::remove);
        fork.environment().remove(Runtimes.REQUIRE_DOCKER_ENV);
        fork.environment().putAll(set);
        Process jvm = fork.start();
        try {
            boolean ended = jvm.waitFor(90, TimeUnit.SECONDS);
            assertThat(ended).as("the forked JVM ended within 90 s; it printed:%n%s", Files.readString(log)).isTrue();
        } finally {
            jvm.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(jvm.exitValue()).as("exit of the forked JVM, which printed:%n%s", output).isZero();
        return new Child(output);
    }

    private static final class FakeEngine implements DockerPreflight.Engine {
        private final Set<String> present;
        private final Map<String, String> pullFailures;
        private final Bridge bridge;
        private final List<String> asked = new ArrayList<>();

        FakeEngine(Set<String> present, Map<String, String> pullFailures, Bridge bridge) {
            this.present = present;
            this.pullFailures = pullFailures;
            this.bridge = bridge;
        }

        @Override
        public boolean hasImage(String image) {
            asked.add("has " + image);
            return present.contains(image);
        }

        @Override
        public Optional<String> pull(String image) {
            asked.add("pull " + image);
            return Optional.ofNullable(pullFailures.get(image));
        }

        @Override
        public Bridge bridge() {
            asked.add("bridge");
            return bridge;
        }
    }
}
