package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.github.dockerjava.api.DockerClient;
import dev.dyno.config.DynoAssumptions;
import dev.dyno.config.DynoConfiguration;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Chooses a {@link WorkloadRuntime}: Docker wherever Testcontainers can run containers (with its
 * own defaults and configuration: {@code DOCKER_HOST}, {@code ~/.testcontainers.properties}, Ryuk
 * on unless disabled), else local processes, unless the configuration parameter {@value #RUNTIME_PROPERTY}
 * ({@code process}, {@code docker} or {@code auto}; see {@link DynoConfiguration}) says otherwise. Where {@code auto} falls back
 * to processes it says why, once per JVM, and the results record the reason.
 *
 * <p>Whether Docker can run is decided once per JVM, in seconds: where Testcontainers would first
 * have to pull an image it cannot get (its Ryuk image, on a machine without a registry), the reason
 * names the one setting to change instead of waiting out Testcontainers' retries.
 *
 * <p>A test that truly needs Docker calls {@link #requireDocker()}: where Docker cannot run the
 * test is skipped with the reason, except when the environment variable
 * {@value #REQUIRE_DOCKER_ENV} is {@code true} (CI sets it), where it fails, so that CI can never
 * pass by silently skipping its Docker tests; with it, {@code auto} fails too instead of falling
 * back to processes. {@code dyno.skips = fail}, which fails every test Dyno would skip (see
 * {@link DynoAssumptions}), fails a missing Docker as well.
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

    private static final Logger LOG = LoggerFactory.getLogger(Runtimes.class);
    private static final FallbackNotice FALLBACK = new FallbackNotice(System.err);

    private static volatile Optional<String> dockerProblem;

    private Runtimes() {
    }

    /** Opens the runtime {@value #RUNTIME_PROPERTY} names in {@link DynoConfiguration#current()}. */
    public static WorkloadRuntime open() {
        return open(DynoConfiguration.current());
    }

    /**
     * Opens the runtime named {@code choice}: {@code process}, {@code docker} or {@code auto}, with
     * the rest of {@link DynoConfiguration#current()}. {@code auto} runs workloads as local processes
     * where Docker cannot run, saying why once per JVM (on standard error, and in the results'
     * environment as {@code dyno.runtime.reason}), unless {@value #REQUIRE_DOCKER_ENV} is {@code true}.
     *
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException if {@code choice} is none of these
     * @throws RuntimeUnavailableException if Docker cannot run here and {@code docker} is asked for,
     *         or {@code auto} with {@value #REQUIRE_DOCKER_ENV}{@code =true}; the message says why
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
        return choose(configuration.runtime(), Runtimes::dockerUnavailableReason, System.getenv(REQUIRE_DOCKER_ENV),
                FALLBACK).equals(DockerRuntime.NAME) ? DockerRuntime.open(configuration)
                : ProcessRuntime.open(configuration);
    }

    /**
     * The decision behind {@link #open(DynoConfiguration)}, apart from where its inputs come from: the name of
     * the runtime to open. {@code dockerProblem} is asked only where the choice depends on it.
     */
    static String choose(String choice, Supplier<Optional<String>> dockerProblem, String requireDocker,
            FallbackNotice notice) {
        String normalized = choice == null ? "auto" : choice.strip().toLowerCase(Locale.ROOT);
        switch (normalized) {
            case ProcessRuntime.NAME:
                return ProcessRuntime.NAME;
            case DockerRuntime.NAME:
                dockerProblem.get().ifPresent(problem -> {
                    throw new RuntimeUnavailableException(RUNTIME_PROPERTY + "=docker, but the Docker runtime cannot "
                            + "run here: " + problem);
                });
                return DockerRuntime.NAME;
            case "auto", "":
                Optional<String> problem = dockerProblem.get();
                if (problem.isEmpty()) {
                    return DockerRuntime.NAME;
                }
                if (required(requireDocker)) {
                    throw new RuntimeUnavailableException(REQUIRE_DOCKER_ENV + "=true forbids running workloads as "
                            + "local processes instead of in Docker, and Docker cannot run here: " + problem.get());
                }
                notice.fellBack(problem.get());
                return ProcessRuntime.NAME;
            default:
                throw new IllegalArgumentException(RUNTIME_PROPERTY + " = '" + choice + "': not allowed; "
                        + "expected process, docker or auto");
        }
    }

    /**
     * Why {@code auto} ran workloads as local processes in this JVM, or empty where it did not (yet).
     * Recorded with results as {@code dyno.runtime.reason}.
     */
    public static Optional<String> fallbackReason() {
        return FALLBACK.reason();
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
     * aborted (skipped, with the reason) through {@link DynoAssumptions}; it fails instead with
     * {@value #REQUIRE_DOCKER_ENV}{@code =true}, or with {@code dyno.skips = fail}.
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
        if (required(requireDocker)) {
            throw new RuntimeUnavailableException("this test needs Docker and " + REQUIRE_DOCKER_ENV + "=true forbids "
                    + "skipping it: " + problem.get());
        }
        DynoAssumptions.abort("needs Docker: " + problem.get());
    }

    private static boolean required(String requireDocker) {
        return "true".equalsIgnoreCase(String.valueOf(requireDocker).strip());
    }

    /**
     * Asks Testcontainers where the engine is, checks with a client that starts nothing that what
     * Testcontainers will pull can be had ({@link DockerPreflight}), and only then starts
     * Testcontainers' own client (and with it Ryuk, unless disabled).
     */
    private static Optional<String> findDockerProblem() {
        long start = System.nanoTime();
        Optional<String> problem = findDockerProblemNow();
        LOG.debug("Docker check took {} ms: {}", (System.nanoTime() - start) / 1_000_000, problem.orElse("usable"));
        return problem;
    }

    private static Optional<String> findDockerProblemNow() {
        TransportConfig transport;
        DockerPreflight.Settings settings;
        try {
            transport = DockerClientFactory.instance().getTransportConfig();
            settings = DockerPreflight.Settings.current(transport.getDockerHost());
        } catch (RuntimeException | LinkageError e) {
            return Optional.of(DockerPreflight.noEngine(e));
        }
        try (DockerClient probe = DockerClientProviderStrategy.getClientForConfig(transport)) {
            Optional<String> problem = DockerPreflight.problem(settings, new DockerPreflight.ClientEngine(probe));
            if (problem.isPresent()) {
                return problem;
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.of(DockerPreflight.clientFailure(e, settings.ryukDisabled()));
        }
        try {
            DockerClientFactory.instance().client();
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of(DockerPreflight.clientFailure(e, settings.ryukDisabled()));
        }
    }

    /** Says once per JVM why {@code auto} runs workloads as processes, and remembers it for the results. */
    static final class FallbackNotice {
        private final AtomicReference<String> reason = new AtomicReference<>();
        private final PrintStream out;

        FallbackNotice(PrintStream out) {
            this.out = out;
        }

        void fellBack(String why) {
            if (reason.compareAndSet(null, why)) {
                dev.dyno.config.EnvironmentFingerprint.note("dyno.runtime.reason", why);
                out.println("[dyno] workloads run as local processes, not in Docker (dyno.runtime=auto): " + why);
            }
        }

        Optional<String> reason() {
            return Optional.ofNullable(reason.get());
        }
    }
}
