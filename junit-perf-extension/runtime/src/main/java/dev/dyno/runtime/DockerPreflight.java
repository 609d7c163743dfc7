package dev.dyno.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientConfigUtils;

/**
 * Checks, with a Docker client that starts nothing, what Testcontainers will pull the first time
 * its own client is asked for, so that where it cannot (no registry) Dyno says why within seconds
 * instead of waiting out Testcontainers' pull retries.
 *
 * <p>Testcontainers 2.0's {@code DockerClientFactory.client()}, which every container it starts
 * goes through:
 * <ul>
 * <li>starts Ryuk, its reaper container, unless the environment variable
 *     {@value #RYUK_DISABLED_ENV} is {@code true} ({@code ResourceReaper.instance()} reads only the
 *     environment, never {@code ~/.testcontainers.properties});</li>
 * <li>works out the engine host's address, even for a caller that never asks for it. With a local
 *     socket and this JVM inside a container ({@code /.dockerenv}) it takes the gateway of the
 *     engine's {@code bridge} network, fails at once where the engine has none, and runs its tiny
 *     image where it has no gateway. {@value #HOST_OVERRIDE_ENV} (environment only) skips that.</li>
 * </ul>
 */
final class DockerPreflight {

    static final String RYUK_DISABLED_ENV = "TESTCONTAINERS_RYUK_DISABLED";
    static final String HOST_OVERRIDE_ENV = "TESTCONTAINERS_HOST_OVERRIDE";

    /** How long the check waits for a pull that makes no progress; a registry that answers at all answers sooner. */
    static final Duration STALL_LIMIT = Duration.ofSeconds(15);

    /** Ryuk's image as this version of Testcontainers names it (its {@code RyukContainer} is not public). */
    static final String RYUK_IMAGE = constantOf("org/testcontainers/utility/RyukContainer.class", "testcontainers/ryuk:")
            .orElse("testcontainers/ryuk:0.14.0");

    /** The image Testcontainers runs to find the default gateway. */
    static final String TINY_IMAGE = constantOf("org/testcontainers/DockerClientFactory.class", "alpine:")
            .orElse("alpine:3.17");

    private DockerPreflight() {
    }

    /** The engine's network named {@code bridge}, from which Testcontainers takes the gateway. */
    enum Bridge { ABSENT, WITHOUT_GATEWAY, WITH_GATEWAY }

    /**
     * Testcontainers' settings that decide what its client needs when it starts.
     *
     * @param ryukImage Ryuk's image after Testcontainers' image name substitution
     * @param tinyImage the gateway-finding image after substitution
     */
    record Settings(boolean ryukDisabled, String ryukImage, boolean inContainer, boolean hostOverridden,
            URI dockerHost, String tinyImage) {

        /** The settings Testcontainers reads in this JVM, for the engine at {@code dockerHost}. */
        static Settings current(URI dockerHost) {
            String override = System.getenv(HOST_OVERRIDE_ENV);
            return new Settings(Boolean.parseBoolean(System.getenv(RYUK_DISABLED_ENV)), ImagePull.substituted(RYUK_IMAGE),
                    DockerClientConfigUtils.IN_A_CONTAINER, override != null && !override.isBlank(), dockerHost,
                    ImagePull.substituted(TINY_IMAGE));
        }

        boolean looksUpGateway() {
            String scheme = dockerHost.getScheme();
            return inContainer && !hostOverridden && ("unix".equals(scheme) || "npipe".equals(scheme));
        }
    }

    /** The engine, as seen through a client that starts nothing. */
    interface Engine {
        boolean hasImage(String image);

        /** @return empty once pulled, else why not */
        Optional<String> pull(String image);

        Bridge bridge();
    }

    /** Why Testcontainers' client cannot start on {@code engine} with {@code settings}, or empty. */
    static Optional<String> problem(Settings settings, Engine engine) {
        if (!settings.ryukDisabled()) {
            Optional<String> ryuk = unavailable(engine, settings.ryukImage());
            if (ryuk.isPresent()) {
                return Optional.of("Testcontainers starts its Ryuk container (image " + settings.ryukImage() + ") before "
                        + "any other, and that image is not present on the Docker engine and pulling it failed: "
                        + ryuk.get() + ". " + DISABLE_RYUK);
            }
        }
        if (settings.looksUpGateway()) {
            String where = "this JVM runs inside a container (/.dockerenv exists) and reaches the Docker engine at "
                    + settings.dockerHost() + ", so Testcontainers ";
            Bridge bridge = engine.bridge();
            if (bridge == Bridge.ABSENT) {
                return Optional.of(where + "takes the engine host's address from the gateway of the engine's 'bridge' "
                        + "network, which this engine does not have. " + OVERRIDE_HOST);
            }
            if (bridge == Bridge.WITHOUT_GATEWAY) {
                Optional<String> tiny = unavailable(engine, settings.tinyImage());
                if (tiny.isPresent()) {
                    return Optional.of(where + "runs image " + settings.tinyImage() + " to find the engine host's address, "
                            + "and that image is not present and pulling it failed: " + tiny.get() + ". " + OVERRIDE_HOST);
                }
            }
        }
        return Optional.empty();
    }

    /** Why Testcontainers' client failed to start, saying what to change. */
    static String clientFailure(Throwable failure, boolean ryukDisabled) {
        String why = ImagePull.engineMessage(failure);
        if (!ryukDisabled && mentionsRyuk(failure)) {
            return "Testcontainers could not start its Ryuk container: " + why + ". " + DISABLE_RYUK;
        }
        return "Testcontainers could not connect to the Docker engine: " + why;
    }

    /** Why no engine was found, saying where Testcontainers looks. */
    static String noEngine(Throwable failure) {
        return "no Docker engine answers (Testcontainers found none: " + ImagePull.engineMessage(failure) + "); start "
                + "one, or point DOCKER_HOST (or docker.host in ~/.testcontainers.properties) at one";
    }

    private static final String DISABLE_RYUK = "Set the environment variable " + RYUK_DISABLED_ENV + "=true for the "
            + "test JVM (Testcontainers reads it from the environment only); Dyno removes its own containers by their "
            + "labels without Ryuk";

    private static final String OVERRIDE_HOST = "Set the environment variable " + HOST_OVERRIDE_ENV + " for the test "
            + "JVM to the engine host's address as this JVM reaches it: localhost where the engine shares this JVM's "
            + "network";

    private static Optional<String> unavailable(Engine engine, String image) {
        return engine.hasImage(image) ? Optional.empty() : engine.pull(image);
    }

    private static boolean mentionsRyuk(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("Ryuk")) {
                return true;
            }
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().contains("Ryuk")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first string constant of a Testcontainers class file that starts with {@code prefix}. */
    static Optional<String> constantOf(String classFile, String prefix) {
        try (InputStream in = DockerClientFactory.class.getClassLoader().getResourceAsStream(classFile)) {
            if (in == null) {
                return Optional.empty();
            }
            Matcher matcher = Pattern.compile(Pattern.quote(prefix) + "[A-Za-z0-9._-]+")
                    .matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The engine through a plain docker-java client (Testcontainers' own would start Ryuk). */
    record ClientEngine(DockerClient client) implements Engine {

        @Override
        public boolean hasImage(String image) {
            return ImagePull.present(client, image);
        }

        @Override
        public Optional<String> pull(String image) {
            Duration stall = ImagePull.stallLimit().compareTo(STALL_LIMIT) < 0 ? ImagePull.stallLimit() : STALL_LIMIT;
            return ImagePull.pull(client, image, stall, ImagePull.limit());
        }

        @Override
        public Bridge bridge() {
            try {
                Network.Ipam ipam = client.inspectNetworkCmd().withNetworkId("bridge").exec().getIpam();
                List<Network.Ipam.Config> configs = ipam == null || ipam.getConfig() == null ? List.of() : ipam.getConfig();
                return configs.stream().anyMatch(c -> c.getGateway() != null) ? Bridge.WITH_GATEWAY : Bridge.WITHOUT_GATEWAY;
            } catch (NotFoundException e) {
                return Bridge.ABSENT;
            }
        }
    }
}
