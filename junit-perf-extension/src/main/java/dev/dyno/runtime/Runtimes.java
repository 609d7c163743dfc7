package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.DynoConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Chooses a {@link WorkloadRuntime}: Docker if an engine answers, else local processes, unless
 * the configuration parameter {@value #RUNTIME_PROPERTY} ({@code process}, {@code docker} or
 * {@code auto}; see {@link DynoConfiguration}) says otherwise.
 *
 * <p>A test that truly needs Docker calls {@link #requireDocker()}: where no engine answers the
 * test is skipped with the reason, except when the environment variable
 * {@value #REQUIRE_DOCKER_ENV} is {@code true} (CI sets it), where it fails, so that CI can never
 * pass by silently skipping its Docker tests.
 *
 * <pre>{@code
 * try (WorkloadRuntime runtime = Runtimes.open()) { ... }          // auto, or -Ddyno.runtime=process
 *
 * @Test
 * void startsInAContainer() {
 *     try (DockerRuntime docker = Runtimes.requireDocker()) { ... }  // skipped (with why) without Docker
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Runtimes {

    /**
     * Configuration parameter choosing the runtime: {@code process}, {@code docker} or {@code auto}
     * (the default); {@link DynoConfiguration#RUNTIME_PROPERTY}.
     */
    public static final String RUNTIME_PROPERTY = DynoConfiguration.RUNTIME_PROPERTY;

    /** Environment variable that turns "no Docker, skipped" into a failure; CI sets it to {@code true}. */
    public static final String REQUIRE_DOCKER_ENV = "DYNO_REQUIRE_DOCKER";

    private static volatile Optional<String> dockerProblem;

    private Runtimes() {
    }

    /** Opens the runtime {@value #RUNTIME_PROPERTY} names in {@link DynoConfiguration#current()}. */
    public static WorkloadRuntime open() {
        return open(DynoConfiguration.current());
    }

    /**
     * Opens the runtime named {@code choice}: {@code process}, {@code docker} or {@code auto}, with
     * the rest of {@link DynoConfiguration#current()}.
     *
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException if {@code choice} is none of these
     * @throws RuntimeUnavailableException if {@code docker} is asked for and no engine answers
     */
    public static WorkloadRuntime open(String choice) {
        return open(DynoConfiguration.current().with(RUNTIME_PROPERTY, choice == null ? "" : choice));
    }

    /**
     * Opens the runtime {@code configuration} chooses, set up as it says.
     *
     * @throws RuntimeUnavailableException if {@code docker} is asked for and no engine answers
     * @since 0.2
     */
    public static WorkloadRuntime open(DynoConfiguration configuration) {
        return switch (configuration.runtime()) {
            case ProcessRuntime.NAME -> ProcessRuntime.open(configuration);
            case DockerRuntime.NAME -> DockerRuntime.open(configuration);
            default -> dockerUnavailableReason().isEmpty() ? DockerRuntime.open(configuration)
                    : ProcessRuntime.open(configuration);
        };
    }

    /** Whether the Docker runtime can run here. */
    public static boolean dockerAvailable() {
        return dockerUnavailableReason().isEmpty();
    }

    /** Why the Docker runtime cannot run here, or empty if it can. Asked once per JVM. */
    public static Optional<String> dockerUnavailableReason() {
        Optional<String> problem = dockerProblem;
        if (problem == null) {
            synchronized (Runtimes.class) {
                problem = dockerProblem;
                if (problem == null) {
                    problem = findDockerProblem();
                    dockerProblem = problem;
                }
            }
        }
        return problem;
    }

    /**
     * Opens the Docker runtime for a test that needs it. Where no engine answers, the test is
     * aborted (skipped, with the reason); with {@value #REQUIRE_DOCKER_ENV}{@code =true} it fails instead.
     */
    public static DockerRuntime requireDocker() {
        assumeDocker();
        return DockerRuntime.open();
    }

    /** Like {@link #requireDocker()}, without opening a runtime. */
    public static void assumeDocker() {
        assumeDocker(dockerUnavailableReason(), System.getenv(REQUIRE_DOCKER_ENV));
    }

    /** The decision, apart from where its inputs come from. */
    static void assumeDocker(Optional<String> problem, String requireDocker) {
        if (problem.isEmpty()) {
            return;
        }
        if ("true".equalsIgnoreCase(String.valueOf(requireDocker).strip())) {
            throw new RuntimeUnavailableException("this test needs Docker and " + REQUIRE_DOCKER_ENV + "=true forbids "
                    + "skipping it: " + problem.get());
        }
        Assumptions.abort("needs Docker: " + problem.get());
    }

    private static Optional<String> findDockerProblem() {
        // Both are read by Testcontainers from the environment only; without them it tries to pull
        // images (Ryuk, alpine) that a machine without a registry never gets, and hangs for minutes.
        if (!"true".equalsIgnoreCase(String.valueOf(System.getenv("TESTCONTAINERS_RYUK_DISABLED")).strip())) {
            return Optional.of("TESTCONTAINERS_RYUK_DISABLED is not 'true': Testcontainers would pull its Ryuk image; "
                    + "Dyno labels and reaps its own containers, so set TESTCONTAINERS_RYUK_DISABLED=true");
        }
        if (Files.exists(Path.of("/.dockerenv")) && System.getenv("TESTCONTAINERS_HOST_OVERRIDE") == null
                && System.getenv("DOCKER_HOST") == null) {
            return Optional.of("this JVM runs inside a container and TESTCONTAINERS_HOST_OVERRIDE is unset: "
                    + "Testcontainers would pull alpine to find the engine's address; set "
                    + "TESTCONTAINERS_HOST_OVERRIDE=localhost (or the engine's host)");
        }
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.empty();
            }
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("no Docker engine answers (" + e + "); start one with .ci/docker-up");
        }
        return Optional.of("no Docker engine answers (no DOCKER_HOST, and no socket at /var/run/docker.sock "
                + "answered); start one with .ci/docker-up");
    }
}
