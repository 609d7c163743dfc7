package dev.dyno.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * {@code DynoConfiguration} is every {@code dyno.*} setting of a test run, read once and checked
 * once: the typed, immutable values Dyno's extensions, runtimes and reports use.
 *
 * <p>Each key is read as a JUnit configuration parameter, so it can be set, in this order of
 * precedence, as a launcher parameter (such as {@code EngineTestKit}'s
 * {@code configurationParameter}), as a JVM system property ({@code -Ddyno.mode=full}, or
 * surefire's {@code systemPropertyVariables}), or in {@code junit-platform.properties} on the test
 * class path. Values are trimmed; choices are case-insensitive.
 *
 * <pre>{@code
 * @PerfTest
 * void schedules(Recorder recorder) {
 *     int runs = DynoConfiguration.current().mode().pick(5, 20);   // or RunMode.current()
 * }
 *
 * public static void main(String[] args) {                            // outside any test
 *     try (WorkloadRuntime runtime = Runtimes.open(DynoConfiguration.current())) { ... }
 * }
 * }</pre>
 *
 * <h2>Keys and defaults</h2>
 * <ul>
 * <li>{@value #RUNTIME_PROPERTY}: {@code auto} (the default: Docker when an engine answers, else
 *     local processes), {@code process} or {@code docker}.</li>
 * <li>{@value #MODE_PROPERTY}: {@code ci} (the default) or {@code full}; see {@link RunMode}.</li>
 * <li>{@value #RESULTS_DIR_PROPERTY}: the results files' directory, default
 *     {@value #DEFAULT_RESULTS_DIR}.</li>
 * <li>{@value #HISTORY_DIR_PROPERTY}: the results history's directory, default
 *     {@value #DEFAULT_HISTORY_DIR}; {@value #HISTORY_OFF} (or empty) turns the history off.</li>
 * <li>{@value #HISTORY_MIN_CHANGE_PROPERTY}: the smallest relative change the history reports, a
 *     fraction from 0 to 1, default {@value #DEFAULT_HISTORY_MIN_CHANGE}.</li>
 * <li>{@value #DOCKER_IMAGE_PROPERTY}: the image for workload specs that name none, default
 *     {@code dev.dyno.runtime.DockerRuntime#DEFAULT_IMAGE}.</li>
 * <li>{@value #DOCKER_HOSTS_PROPERTY}: the Docker engines workloads are spread over, in turn,
 *     such as {@code default, tcp://10.0.0.5:2376?certs=/etc/dyno/engine2}; unset for the one
 *     engine Testcontainers finds.</li>
 * <li>{@value #PROCESS_CPU_LIMIT_PROPERTY}: how the process runtime limits CPU: {@code auto} (the
 *     default: a cgroup where one is writable, else affinity), {@code cgroup} or
 *     {@code affinity}.</li>
 * <li>{@value #LOAD_SCALE_PROPERTY}: a factor for every {@code @LoadProfile} duration, above 0
 *     and at most {@value #MAX_LOAD_SCALE}, overriding {@code ciScale}; unset by default.</li>
 * <li>{@value #LOAD_IO_THREADS_PROPERTY}: the I/O threads of an HTTP load target, 1 to
 *     {@value #MAX_LOAD_IO_THREADS}; by default one per four cores, at most four.</li>
 * <li>{@value #LOAD_PACER_PROPERTY}: how the open model's pacer waits for each request's due time:
 *     {@code park} (the default: it sleeps until 100 µs before and spins the rest) or {@code spin}
 *     (it spins all the time, a whole core, for a schedule kept within microseconds).</li>
 * <li>{@value #LOAD_RESOLVE_PROPERTY}: addresses an HTTP load target uses instead of resolving a
 *     host, as curl's {@code --resolve}: {@code HOST:PORT:ADDRESS}, separated by commas; a fourth
 *     part {@code :PORT} connects to another port (curl's {@code --connect-to}); unset by default.</li>
 * <li>{@value #LOAD_TLS_TRUST_STORE_PROPERTY} (with {@value #LOAD_TLS_TRUST_STORE_PASSWORD_PROPERTY}):
 *     a JKS or PKCS12 trust store for HTTPS load instead of the JDK's; {@value #LOAD_TLS_CA_FILE_PROPERTY}:
 *     a PEM file of CA certificates, trusted too.</li>
 * <li>{@value #LOAD_TLS_KEY_STORE_PROPERTY} (with {@value #LOAD_TLS_KEY_STORE_PASSWORD_PROPERTY}): a
 *     PKCS12 key store whose key and certificate the client presents (mutual TLS).</li>
 * <li>{@value #LOAD_TLS_INSECURE_PROPERTY}: {@code true} accepts any certificate and host name,
 *     loudly reported; {@code false} by default.</li>
 * <li>{@value #GPUS_PROPERTY}: a declared GPU inventory for {@code @GpuWorkers} (such as
 *     {@code 4}, or {@code 0:NVIDIA H100:81559,1:NVIDIA H100:81559}, or {@code none}); by default
 *     GPUs are discovered with {@code nvidia-smi}. {@code @GpuWorkers} checks its notation.</li>
 * <li>{@value #SKIPS_PROPERTY}: what a test Dyno cannot run here becomes: {@code skip} (the default:
 *     aborted, with the reason) or {@code fail} (failed, with the same reason; CI sets it); see
 *     {@link DynoAssumptions}.</li>
 * <li>{@value #JFR_FLAMEGRAPHS_PROPERTY}: when a {@code @JfrRecording} test gets flame graphs:
 *     {@code on-failure} (the default: when the test fails or breaches a threshold), {@code always} or
 *     {@code never}.</li>
 * </ul>
 *
 * <h2>Errors and warnings</h2>
 * A value that is not allowed fails every test that needs the configuration, before anything is
 * provisioned, with an {@link ExtensionConfigurationException} naming the key, the value and what is
 * allowed, such as {@code dyno.mode = "fast": allowed are ci, full}. A {@code dyno.*} system
 * property or {@code junit-platform.properties} key that Dyno does not know is reported once per JVM
 * on standard error, with the closest known key ("did you mean dyno.history.dir?").
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class DynoConfiguration {

    /** Key choosing the workload runtime: {@code auto} (the default), {@code process} or {@code docker}. */
    public static final String RUNTIME_PROPERTY = "dyno.runtime";
    /** Key choosing the run mode: {@code ci} (the default) or {@code full}. */
    public static final String MODE_PROPERTY = "dyno.mode";
    /** Key naming the directory of results files. */
    public static final String RESULTS_DIR_PROPERTY = "dyno.results.dir";
    /** Key naming the directory of the results history, or {@value #HISTORY_OFF}. */
    public static final String HISTORY_DIR_PROPERTY = "dyno.history.dir";
    /** Key of the smallest relative change the results history reports. */
    public static final String HISTORY_MIN_CHANGE_PROPERTY = "dyno.history.min-change";
    /** Key naming the image for workload specs that name none. */
    public static final String DOCKER_IMAGE_PROPERTY = "dyno.docker.image";
    /** Key of the Docker engines workloads are spread over ({@code default}, {@code unix://…}, {@code tcp://…}). */
    public static final String DOCKER_HOSTS_PROPERTY = "dyno.docker.hosts";
    /** Key choosing how the process runtime limits CPU: {@code auto}, {@code cgroup} or {@code affinity}. */
    public static final String PROCESS_CPU_LIMIT_PROPERTY = "dyno.process.cpu-limit";
    /** Key of the factor every {@code @LoadProfile} duration is multiplied by, in any mode. */
    public static final String LOAD_SCALE_PROPERTY = "dyno.load.scale";
    /** Key of the number of I/O threads an HTTP load target runs. */
    public static final String LOAD_IO_THREADS_PROPERTY = "dyno.load.ioThreads";
    /** Key choosing how the open model's pacer waits: {@code park} or {@code spin}. */
    public static final String LOAD_PACER_PROPERTY = "dyno.load.pacer";
    /** {@value #LOAD_PACER_PROPERTY}'s default: sleep until shortly before each due time. */
    public static final String DEFAULT_LOAD_PACER = "park";
    /** Key of addresses used instead of resolving hosts of HTTP load, {@code HOST:PORT:ADDRESS,...}. */
    public static final String LOAD_RESOLVE_PROPERTY = "dyno.load.resolve";
    /** Key of a JKS or PKCS12 trust store for HTTPS load. */
    public static final String LOAD_TLS_TRUST_STORE_PROPERTY = "dyno.load.tls.trustStore";
    /** Key of the password of {@value #LOAD_TLS_TRUST_STORE_PROPERTY}; never reported. */
    public static final String LOAD_TLS_TRUST_STORE_PASSWORD_PROPERTY = "dyno.load.tls.trustStorePassword";
    /** Key of a PEM file of CA certificates trusted for HTTPS load. */
    public static final String LOAD_TLS_CA_FILE_PROPERTY = "dyno.load.tls.caFile";
    /** Key of a PKCS12 key store with the client's key and certificate, for mutual TLS. */
    public static final String LOAD_TLS_KEY_STORE_PROPERTY = "dyno.load.tls.keyStore";
    /** Key of the password of {@value #LOAD_TLS_KEY_STORE_PROPERTY} and its key; never reported. */
    public static final String LOAD_TLS_KEY_STORE_PASSWORD_PROPERTY = "dyno.load.tls.keyStorePassword";
    /** Key that makes HTTPS load accept any certificate and host name. */
    public static final String LOAD_TLS_INSECURE_PROPERTY = "dyno.load.tls.insecure";
    /** Key of a declared GPU inventory for {@code @GpuWorkers}. */
    public static final String GPUS_PROPERTY = "dyno.gpus";
    /** Key choosing what a test Dyno cannot run here becomes: {@code skip} (the default) or {@code fail}. */
    public static final String SKIPS_PROPERTY = "dyno.skips";
    /** Key choosing when {@code @JfrRecording} tests get flame graphs: {@code on-failure}, {@code always}, {@code never}. */
    public static final String JFR_FLAMEGRAPHS_PROPERTY = "dyno.jfr.flamegraphs";

    /** The default of {@value #RUNTIME_PROPERTY}. */
    public static final String DEFAULT_RUNTIME = "auto";
    /** The default of {@value #RESULTS_DIR_PROPERTY}. */
    public static final String DEFAULT_RESULTS_DIR = "target/dyno-results";
    /** The default of {@value #HISTORY_DIR_PROPERTY}. */
    public static final String DEFAULT_HISTORY_DIR = "target/dyno-history";
    /** The value of {@value #HISTORY_DIR_PROPERTY} that turns the history off. */
    public static final String HISTORY_OFF = "off";
    /** The default of {@value #HISTORY_MIN_CHANGE_PROPERTY}. */
    public static final double DEFAULT_HISTORY_MIN_CHANGE = 0.05;
    /** The default of {@value #PROCESS_CPU_LIMIT_PROPERTY}. */
    public static final String DEFAULT_PROCESS_CPU_LIMIT = "auto";
    /** The default of {@value #SKIPS_PROPERTY}: such a test is aborted, with the reason. */
    public static final String SKIPS_SKIP = "skip";
    /** The value of {@value #SKIPS_PROPERTY} that fails such a test, with the same reason. */
    public static final String SKIPS_FAIL = "fail";
    /** The largest {@value #LOAD_SCALE_PROPERTY}. */
    public static final double MAX_LOAD_SCALE = 1000;
    /** The most I/O threads {@value #LOAD_IO_THREADS_PROPERTY} allows. */
    public static final int MAX_LOAD_IO_THREADS = 64;
    /** The default of {@value #JFR_FLAMEGRAPHS_PROPERTY}. */
    public static final String DEFAULT_JFR_FLAMEGRAPHS = "on-failure";

    /** Every key, in the order of the documentation. */
    static final List<String> KEYS = List.of(RUNTIME_PROPERTY, MODE_PROPERTY, RESULTS_DIR_PROPERTY,
            HISTORY_DIR_PROPERTY, HISTORY_MIN_CHANGE_PROPERTY, DOCKER_IMAGE_PROPERTY, DOCKER_HOSTS_PROPERTY,
            PROCESS_CPU_LIMIT_PROPERTY,
            LOAD_SCALE_PROPERTY, LOAD_IO_THREADS_PROPERTY, LOAD_PACER_PROPERTY, LOAD_RESOLVE_PROPERTY, LOAD_TLS_TRUST_STORE_PROPERTY,
            LOAD_TLS_TRUST_STORE_PASSWORD_PROPERTY, LOAD_TLS_CA_FILE_PROPERTY, LOAD_TLS_KEY_STORE_PROPERTY,
            LOAD_TLS_KEY_STORE_PASSWORD_PROPERTY, LOAD_TLS_INSECURE_PROPERTY, GPUS_PROPERTY, SKIPS_PROPERTY,
            JFR_FLAMEGRAPHS_PROPERTY);

    /** Keys whose values are secret: {@link #toString()} masks them. */
    static final Set<String> SECRET_KEYS = Set.of(LOAD_TLS_TRUST_STORE_PASSWORD_PROPERTY,
            LOAD_TLS_KEY_STORE_PASSWORD_PROPERTY);

    /**
     * Switches of this repository's own test suites, not settings of Dyno: they stay system
     * properties or launcher parameters those suites read themselves, and are never warned about.
     */
    static final Set<String> TEST_SUITE_KEYS = Set.of("dyno.measure", "dyno.longtail.fixtures",
            "dyno.cpuboost.fixtures", "dyno.load.fixtures", "dyno.test.gpu-fixtures",
            "dyno.workloads.spring-startup.jar");

    static final String PROPERTIES_FILE = "junit-platform.properties";

    private static final Namespace NAMESPACE = Namespace.create(DynoConfiguration.class);

    // The configuration of the test running on this thread, which Dyno's extension sets before the
    // method (and the user's @BeforeEach) and restores after. A thread-local, not a static field: the
    // configuration comes from the launcher, and parallel tests, or EngineTestKit runs with
    // parameters of their own, would otherwise see each other's values.
    private static final ThreadLocal<DynoConfiguration> CURRENT = new ThreadLocal<>();

    // Unknown keys already reported: the warning is for the JVM, not for each test.
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private final Map<String, String> parameters;
    private final String runtime;
    private final RunMode mode;
    private final Path resultsDirectory;
    private final Optional<Path> historyDirectory;
    private final double historyMinChange;
    private final Optional<String> dockerImage;
    private final Optional<String> dockerHosts;
    private final String processCpuLimit;
    private final OptionalDouble loadScale;
    private final OptionalInt loadIoThreads;
    private final String loadPacer;
    private final Optional<String> gpus;
    private final List<String> loadResolve;
    private final Optional<Path> loadTlsTrustStore;
    private final Optional<Path> loadTlsCaFile;
    private final Optional<Path> loadTlsKeyStore;
    private final boolean loadTlsInsecure;
    private final String skips;
    private final String jfrFlameGraphs;

    private DynoConfiguration(Map<String, String> parameters) {
        this.parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
        this.runtime = choice(RUNTIME_PROPERTY, DEFAULT_RUNTIME, "auto", "process", "docker");
        this.mode = RunMode.valueOf(choice(MODE_PROPERTY, "ci", "ci", "full").toUpperCase(Locale.ROOT));
        this.resultsDirectory = path(RESULTS_DIR_PROPERTY, parameters.getOrDefault(RESULTS_DIR_PROPERTY,
                DEFAULT_RESULTS_DIR), DEFAULT_RESULTS_DIR);
        String history = parameters.getOrDefault(HISTORY_DIR_PROPERTY, DEFAULT_HISTORY_DIR);
        this.historyDirectory = history.isEmpty() || history.equalsIgnoreCase(HISTORY_OFF) ? Optional.empty()
                : Optional.of(path(HISTORY_DIR_PROPERTY, history, DEFAULT_HISTORY_DIR + ", or " + HISTORY_OFF));
        this.historyMinChange = number(HISTORY_MIN_CHANGE_PROPERTY, 0, 1, true, "a fraction from 0 to 1, such as 0.05")
                .orElse(DEFAULT_HISTORY_MIN_CHANGE);
        this.dockerImage = Optional.ofNullable(parameters.get(DOCKER_IMAGE_PROPERTY)).filter(s -> !s.isEmpty());
        this.dockerHosts = Optional.ofNullable(parameters.get(DOCKER_HOSTS_PROPERTY)).map(String::strip)
                .filter(s -> !s.isEmpty());
        this.processCpuLimit = choice(PROCESS_CPU_LIMIT_PROPERTY, DEFAULT_PROCESS_CPU_LIMIT, "auto", "cgroup",
                "affinity");
        this.loadScale = number(LOAD_SCALE_PROPERTY, 0, MAX_LOAD_SCALE, false,
                "a factor above 0 and at most 1000, such as 0.1");
        this.loadIoThreads = wholeNumber(LOAD_IO_THREADS_PROPERTY, 1, MAX_LOAD_IO_THREADS,
                "a whole number of I/O threads from 1 to " + MAX_LOAD_IO_THREADS + ", such as 2");
        this.loadPacer = choice(LOAD_PACER_PROPERTY, DEFAULT_LOAD_PACER, "park", "spin");
        this.gpus = Optional.ofNullable(parameters.get(GPUS_PROPERTY)).filter(s -> !s.isEmpty());
        this.loadResolve = resolveRules(parameters.getOrDefault(LOAD_RESOLVE_PROPERTY, ""));
        this.loadTlsTrustStore = file(LOAD_TLS_TRUST_STORE_PROPERTY, "a readable JKS or PKCS12 trust store");
        this.loadTlsCaFile = file(LOAD_TLS_CA_FILE_PROPERTY, "a readable PEM file of CA certificates");
        this.loadTlsKeyStore = file(LOAD_TLS_KEY_STORE_PROPERTY, "a readable PKCS12 key store");
        this.loadTlsInsecure = Boolean.parseBoolean(choice(LOAD_TLS_INSECURE_PROPERTY, "false", "false", "true"));
        this.skips = choice(SKIPS_PROPERTY, SKIPS_SKIP, SKIPS_SKIP, SKIPS_FAIL);
        this.jfrFlameGraphs = choice(JFR_FLAMEGRAPHS_PROPERTY, DEFAULT_JFR_FLAMEGRAPHS, "on-failure", "always", "never");
    }

    /**
     * The configuration of the test run {@code context} belongs to: read from its configuration
     * parameters once, when first asked, and kept in the root context's store.
     *
     * @throws ExtensionConfigurationException when a value is not allowed, naming the key, the value
     *                                         and what is allowed
     */
    public static DynoConfiguration of(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(DynoConfiguration.class, key -> {
            // Launcher parameters (EngineTestKit's among them) cannot be listed through an
            // ExtensionContext, only asked for by key, so only system properties and the file are
            // checked for unknown keys.
            warnAboutUnknownKeys(sources(Thread.currentThread().getContextClassLoader()));
            return read(context::getConfigurationParameter);
        }, DynoConfiguration.class);
    }

    /**
     * The configuration for code that runs outside Dyno's extensions, such as a test method's body,
     * a {@code @BeforeEach} method or a {@code main} method: that of the {@code @PerfTest} running
     * on this thread, else one read from system properties and {@code junit-platform.properties} on
     * the context class loader (a system property wins over the file, as in JUnit). Launcher
     * parameters reach only the former.
     *
     * @throws ExtensionConfigurationException when a value is not allowed
     */
    public static DynoConfiguration current() {
        DynoConfiguration running = CURRENT.get();
        if (running != null) {
            return running;
        }
        Map<String, Map<String, String>> sources = sources(Thread.currentThread().getContextClassLoader());
        warnAboutUnknownKeys(sources);
        Map<String, String> systemProperties = sources.get(SYSTEM_PROPERTIES);
        Map<String, String> file = sources.get(PROPERTIES_FILE);
        return read(key -> Optional.ofNullable(systemProperties.getOrDefault(key, file.get(key))));
    }

    /**
     * A configuration of these parameters alone, every other key at its default; for programs that
     * choose their settings themselves.
     *
     * @throws IllegalArgumentException        when a key is not a Dyno key
     * @throws ExtensionConfigurationException when a value is not allowed
     */
    public static DynoConfiguration of(Map<String, String> parameters) {
        parameters.keySet().forEach(DynoConfiguration::requireKnown);
        return read(key -> Optional.ofNullable(parameters.get(key)));
    }

    /**
     * A copy with {@code key} set to {@code value}, checked like any other value.
     *
     * @throws IllegalArgumentException        when {@code key} is not a Dyno key
     * @throws ExtensionConfigurationException when the value is not allowed
     */
    public DynoConfiguration with(String key, String value) {
        requireKnown(key);
        Map<String, String> changed = new LinkedHashMap<>(parameters);
        changed.put(key, Objects.requireNonNull(value, "value").strip());
        return new DynoConfiguration(changed);
    }

    /** {@value #RUNTIME_PROPERTY}: {@code auto}, {@code process} or {@code docker}, in lower case. */
    public String runtime() {
        return runtime;
    }

    /** {@value #MODE_PROPERTY}. */
    public RunMode mode() {
        return mode;
    }

    /** {@value #RESULTS_DIR_PROPERTY}. */
    public Path resultsDirectory() {
        return resultsDirectory;
    }

    /** {@value #HISTORY_DIR_PROPERTY}, or empty when the history is off. */
    public Optional<Path> historyDirectory() {
        return historyDirectory;
    }

    /** {@value #HISTORY_MIN_CHANGE_PROPERTY}, a fraction. */
    public double historyMinChange() {
        return historyMinChange;
    }

    /** {@value #DOCKER_IMAGE_PROPERTY}, or empty for the Docker runtime's default image. */
    public Optional<String> dockerImage() {
        return dockerImage;
    }

    /**
     * {@value #DOCKER_HOSTS_PROPERTY} as written, or empty for the engine Testcontainers finds; the
     * Docker runtime reads its entries.
     */
    public Optional<String> dockerHosts() {
        return dockerHosts;
    }

    /** {@value #PROCESS_CPU_LIMIT_PROPERTY}: {@code auto}, {@code cgroup} or {@code affinity}, in lower case. */
    public String processCpuLimit() {
        return processCpuLimit;
    }

    /** {@value #LOAD_SCALE_PROPERTY}, or empty when each annotation's {@code ciScale} applies. */
    public OptionalDouble loadScale() {
        return loadScale;
    }

    /** {@value #LOAD_PACER_PROPERTY}: {@code park} (the default) or {@code spin}. */
    public String loadPacer() {
        return loadPacer;
    }

    /** {@value #LOAD_IO_THREADS_PROPERTY}, or empty for the load target's default. */
    public OptionalInt loadIoThreads() {
        return loadIoThreads;
    }

    /**
     * {@value #LOAD_RESOLVE_PROPERTY}: each {@code HOST:PORT:ADDRESS} as written, the address an IP
     * literal ({@code [::1]} for IPv6); empty by default.
     */
    public List<String> loadResolve() {
        return loadResolve;
    }

    /** {@value #LOAD_TLS_TRUST_STORE_PROPERTY}, a readable file, or empty for the JDK's trust store. */
    public Optional<Path> loadTlsTrustStore() {
        return loadTlsTrustStore;
    }

    /** {@value #LOAD_TLS_TRUST_STORE_PASSWORD_PROPERTY}, or empty. */
    public Optional<String> loadTlsTrustStorePassword() {
        return Optional.ofNullable(parameters.get(LOAD_TLS_TRUST_STORE_PASSWORD_PROPERTY));
    }

    /** {@value #LOAD_TLS_CA_FILE_PROPERTY}, a readable file, or empty. */
    public Optional<Path> loadTlsCaFile() {
        return loadTlsCaFile;
    }

    /** {@value #LOAD_TLS_KEY_STORE_PROPERTY}, a readable file, or empty for no client certificate. */
    public Optional<Path> loadTlsKeyStore() {
        return loadTlsKeyStore;
    }

    /** {@value #LOAD_TLS_KEY_STORE_PASSWORD_PROPERTY}, or empty. */
    public Optional<String> loadTlsKeyStorePassword() {
        return Optional.ofNullable(parameters.get(LOAD_TLS_KEY_STORE_PASSWORD_PROPERTY));
    }

    /** {@value #LOAD_TLS_INSECURE_PROPERTY}. */
    public boolean loadTlsInsecure() {
        return loadTlsInsecure;
    }

    /** {@value #GPUS_PROPERTY} as written, or empty to discover the GPUs. */
    public Optional<String> gpus() {
        return gpus;
    }

    /**
     * {@value #SKIPS_PROPERTY}: {@value #SKIPS_SKIP} or {@value #SKIPS_FAIL}, in lower case; what
     * {@link DynoAssumptions} does with a test that cannot run here.
     */
    public String skips() {
        return skips;
    }

    /**
     * {@value #JFR_FLAMEGRAPHS_PROPERTY}: {@code on-failure}, {@code always} or {@code never}, in lower case.
     *
     * @since 0.2
     */
    public String jfrFlameGraphs() {
        return jfrFlameGraphs;
    }

    /** The keys that were set, with their values as written (trimmed). */
    public Map<String, String> parameters() {
        return parameters;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DynoConfiguration that && parameters.equals(that.parameters);
    }

    @Override
    public int hashCode() {
        return parameters.hashCode();
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(parameters);
        shown.replaceAll((key, value) -> SECRET_KEYS.contains(key) ? "***" : value);
        return "DynoConfiguration" + shown;
    }

    /** Makes {@code configuration} this thread's current one; returns the one it replaces, to restore. */
    @API(status = INTERNAL, since = "0.2")
    public static DynoConfiguration enter(DynoConfiguration configuration) {
        DynoConfiguration previous = CURRENT.get();
        CURRENT.set(configuration);
        return previous;
    }

    /** Restores what {@link #enter} returned. */
    @API(status = INTERNAL, since = "0.2")
    public static void exit(DynoConfiguration previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    private static DynoConfiguration read(Function<String, Optional<String>> lookup) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String key : KEYS) {
            lookup.apply(key).ifPresent(value -> parameters.put(key, value.strip()));
        }
        return new DynoConfiguration(parameters);
    }

    private String choice(String key, String defaultValue, String... allowed) {
        String value = parameters.get(key);
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        String normalized = value.toLowerCase(Locale.ROOT);
        if (List.of(allowed).contains(normalized)) {
            return normalized;
        }
        throw notAllowed(key, value, "are " + String.join(", ", allowed));
    }

    private static Path path(String key, String value, String example) {
        try {
            if (!value.isEmpty()) {
                return Path.of(value);
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        throw notAllowed(key, value, "is a directory, such as " + example);
    }

    private Optional<Path> file(String key, String allowed) {
        String value = parameters.get(key);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(value);
            if (java.nio.file.Files.isRegularFile(path) && java.nio.file.Files.isReadable(path)) {
                return Optional.of(path);
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        throw notAllowed(key, value, "is " + allowed + ", but there is no readable file "
                + Path.of(".").toAbsolutePath().normalize().resolve(value));
    }

    private static final java.util.regex.Pattern RESOLVE_RULE = java.util.regex.Pattern.compile(
            "([^:\\s\\[\\]]+):(\\d{1,5}):(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+])(?::(\\d{1,5}))?");

    /** Each rule of a comma-separated {@value #LOAD_RESOLVE_PROPERTY}, checked. */
    private static List<String> resolveRules(String value) {
        List<String> rules = new java.util.ArrayList<>();
        for (String rule : value.split(",")) {
            String r = rule.strip();
            if (r.isEmpty()) {
                continue;
            }
            java.util.regex.Matcher m = RESOLVE_RULE.matcher(r);
            int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
            int connectPort = m.matches() && m.group(4) != null ? Integer.parseInt(m.group(4)) : port;
            if (port < 1 || port > 65535 || connectPort < 1 || connectPort > 65535) {
                throw notAllowed(LOAD_RESOLVE_PROPERTY, value, "are HOST:PORT:ADDRESS rules separated by commas, the"
                        + " address an IP literal, such as staging.example.test:443:127.0.0.1 or api.example.test:8443:[::1]"
                        + " (HOST:PORT:ADDRESS:PORT connects to another port);"
                        + " \"" + r + "\" is not one");
            }
            rules.add(r);
        }
        return List.copyOf(rules);
    }

    private OptionalDouble number(String key, double above, double atMost, boolean inclusive, String allowed) {
        String value = parameters.get(key);
        if (value == null) {
            return OptionalDouble.empty();
        }
        try {
            double number = Double.parseDouble(value);
            if ((inclusive ? number >= above : number > above) && number <= atMost) {
                return OptionalDouble.of(number);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw notAllowed(key, value, "is " + allowed);
    }

    private OptionalInt wholeNumber(String key, int min, int max, String allowed) {
        String value = parameters.get(key);
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return OptionalInt.of(number);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw notAllowed(key, value, "is " + allowed);
    }

    /**
     * The error for a value of {@code key} that is not allowed, in the form every key's error has:
     * {@code key = "value": allowed ...}; for checks that only the code using a value can make, such
     * as whether a key store opens.
     */
    @API(status = org.apiguardian.api.API.Status.INTERNAL, since = "0.2")
    public static ExtensionConfigurationException notAllowedValue(String key, String value, String allowed) {
        return notAllowed(key, value, allowed);
    }

    static ExtensionConfigurationException notAllowed(String key, String value, String allowed) {
        return new ExtensionConfigurationException(key + " = \"" + value + "\": allowed " + allowed);
    }

    private static void requireKnown(String key) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException(key + " is not a Dyno configuration key; did you mean "
                    + closestKey(key) + "?");
        }
    }

    // ---- where values come from outside an ExtensionContext, and the unknown-key warning ----

    static final String SYSTEM_PROPERTIES = "system properties";

    /** The {@code dyno.*} system properties and the keys of the first junit-platform.properties, by source. */
    static Map<String, Map<String, String>> sources(ClassLoader loader) {
        Map<String, String> systemProperties = new TreeMap<>();
        Properties system = System.getProperties();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("dyno.")) {
                systemProperties.put(name, system.getProperty(name));
            }
        }
        Map<String, Map<String, String>> sources = new LinkedHashMap<>();
        sources.put(SYSTEM_PROPERTIES, systemProperties);
        sources.put(PROPERTIES_FILE, propertiesFile(loader));
        return sources;
    }

    /** The entries of the first {@value #PROPERTIES_FILE} {@code loader} finds, as JUnit reads it. */
    static Map<String, String> propertiesFile(ClassLoader loader) {
        ClassLoader classLoader = loader != null ? loader : DynoConfiguration.class.getClassLoader();
        URL url = classLoader.getResource(PROPERTIES_FILE);
        Map<String, String> entries = new TreeMap<>();
        if (url == null) {
            return entries;
        }
        try (InputStream in = url.openStream()) {
            Properties properties = new Properties();
            properties.load(in);
            properties.stringPropertyNames().forEach(name -> entries.put(name, properties.getProperty(name)));
        } catch (IOException e) {
            System.err.println("[dyno] could not read " + url + ": " + e.getMessage());
        }
        return entries;
    }

    static void warnAboutUnknownKeys(Map<String, Map<String, String>> sources) {
        sources.forEach((source, entries) -> unknownKeys(entries.keySet()).forEach(key -> {
            if (WARNED.add(key)) {
                System.err.println(unknownKeyWarning(key, source));
            }
        }));
    }

    /** The keys that start with {@code dyno.} and that neither Dyno nor this repository's test suites know. */
    static List<String> unknownKeys(Set<String> keys) {
        return keys.stream().filter(k -> k.startsWith("dyno.") && !KEYS.contains(k) && !TEST_SUITE_KEYS.contains(k))
                .sorted().toList();
    }

    static String unknownKeyWarning(String key, String source) {
        return "[dyno] WARNING: unknown configuration key " + key + " (in " + source + "), ignored; did you mean "
                + closestKey(key) + "?";
    }

    /** The known key fewest single-character edits away from {@code key}. */
    static String closestKey(String key) {
        return KEYS.stream().min(Comparator.comparingInt((String k) -> editDistance(key, k))).orElseThrow();
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(substitution, Math.min(previous[j], row[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = row;
            row = swap;
        }
        return previous[b.length()];
    }
}
