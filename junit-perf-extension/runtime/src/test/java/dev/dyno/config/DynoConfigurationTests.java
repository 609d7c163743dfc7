package dev.dyno.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.PerfTest;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.CpuLimitMechanism;
import dev.dyno.runtime.ProcessRuntime;
import dev.dyno.runtime.WorkloadRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

@DisplayName("DynoConfiguration")
class DynoConfigurationTests {

    private static final String OUTPUT = "target/dyno-configuration-tests/";

    @TempDir
    Path temp;

    /** One key set to a value other than its default, and how the configuration shows it. */
    record Setting(String key, String value, Function<DynoConfiguration, Object> read, Object expected) {
        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    static List<Setting> everyKey() {
        return List.of(
                new Setting("dyno.runtime", "process", DynoConfiguration::runtime, "process"),
                new Setting("dyno.mode", "FULL", DynoConfiguration::mode, RunMode.FULL),
                new Setting("dyno.results.dir", OUTPUT + "results", DynoConfiguration::resultsDirectory,
                        Path.of(OUTPUT + "results")),
                new Setting("dyno.history.dir", "off", DynoConfiguration::historyDirectory, Optional.empty()),
                new Setting("dyno.history.min-change", "0.2", DynoConfiguration::historyMinChange, 0.2),
                new Setting("dyno.docker.image", "example/worker:1", DynoConfiguration::dockerImage,
                        Optional.of("example/worker:1")),
                new Setting("dyno.docker.hosts", " default, tcp://127.0.0.1:23750 ", DynoConfiguration::dockerHosts,
                        Optional.of("default, tcp://127.0.0.1:23750")),
                new Setting("dyno.process.cpu-limit", " affinity ", DynoConfiguration::processCpuLimit, "affinity"),
                new Setting("dyno.load.scale", "0.25", DynoConfiguration::loadScale, OptionalDouble.of(0.25)),
                new Setting("dyno.load.ioThreads", "3", DynoConfiguration::loadIoThreads, OptionalInt.of(3)),
                new Setting("dyno.load.pacer", " Spin ", DynoConfiguration::loadPacer, "spin"),
                new Setting("dyno.load.resolve", "a.example.test:443:127.0.0.1, b.example.test:8443:[::1]:9443",
                        DynoConfiguration::loadResolve, List.of("a.example.test:443:127.0.0.1", "b.example.test:8443:[::1]:9443")),
                new Setting("dyno.load.tls.trustStore", "pom.xml", DynoConfiguration::loadTlsTrustStore,
                        Optional.of(Path.of("pom.xml"))),
                new Setting("dyno.load.tls.trustStorePassword", "s3cret", DynoConfiguration::loadTlsTrustStorePassword,
                        Optional.of("s3cret")),
                new Setting("dyno.load.tls.caFile", "pom.xml", DynoConfiguration::loadTlsCaFile, Optional.of(Path.of("pom.xml"))),
                new Setting("dyno.load.tls.keyStore", "pom.xml", DynoConfiguration::loadTlsKeyStore,
                        Optional.of(Path.of("pom.xml"))),
                new Setting("dyno.load.tls.keyStorePassword", "s3cret", DynoConfiguration::loadTlsKeyStorePassword,
                        Optional.of("s3cret")),
                new Setting("dyno.load.tls.insecure", "TRUE", DynoConfiguration::loadTlsInsecure, true),
                new Setting("dyno.gpus", "2", DynoConfiguration::gpus, Optional.of("2")),
                new Setting("dyno.skips", " Fail ", DynoConfiguration::skips, "fail"),
                new Setting("dyno.jfr.flamegraphs", "Always", DynoConfiguration::jfrFlameGraphs, "always"));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("dyno.runtime", "warp", "allowed are auto, process, docker"),
                Arguments.of("dyno.mode", "fast", "allowed are ci, full"),
                Arguments.of("dyno.results.dir", "", "allowed is a directory, such as target/dyno-results"),
                Arguments.of("dyno.history.dir", "a\0b", "allowed is a directory, such as target/dyno-history, or off"),
                Arguments.of("dyno.history.min-change", "5%", "allowed is a fraction from 0 to 1, such as 0.05"),
                Arguments.of("dyno.process.cpu-limit", "cpuset", "allowed are auto, cgroup, affinity"),
                Arguments.of("dyno.load.scale", "0", "allowed is a factor above 0 and at most 1000, such as 0.1"),
                Arguments.of("dyno.load.ioThreads", "two",
                        "allowed is a whole number of I/O threads from 1 to 64, such as 2"),
                Arguments.of("dyno.load.pacer", "busy", "allowed are park, spin"),
                Arguments.of("dyno.load.resolve", "a.example.test:443",
                        "allowed are HOST:PORT:ADDRESS rules separated by commas, the address an IP literal, such as"
                                + " staging.example.test:443:127.0.0.1 or api.example.test:8443:[::1] (HOST:PORT:ADDRESS:PORT"
                                + " connects to another port); \"a.example.test:443\" is not one"),
                Arguments.of("dyno.load.tls.caFile", "no-such.pem", "allowed is a readable PEM file of CA certificates,"
                        + " but there is no readable file " + Path.of("no-such.pem").toAbsolutePath()),
                Arguments.of("dyno.load.tls.insecure", "yes", "allowed are false, true"),
                Arguments.of("dyno.skips", "ignore", "allowed are skip, fail"),
                Arguments.of("dyno.jfr.flamegraphs", "sometimes", "allowed are on-failure, always, never"));
    }

    @Test
    @DisplayName("has a test value for every key it knows")
    void everyKeyIsCovered() {
        assertThat(everyKey()).extracting(Setting::key).containsExactlyElementsOf(DynoConfiguration.KEYS);
        for (Setting setting : everyKey()) {
            assertThat(setting.read().apply(DynoConfiguration.of(Map.of()))).as(setting.key())
                    .isNotEqualTo(setting.expected());
        }
    }

    @Test
    @DisplayName("has the documented defaults when nothing is set")
    void defaults() {
        DynoConfiguration configuration = DynoConfiguration.of(Map.of());

        assertThat(configuration.runtime()).isEqualTo("auto");
        assertThat(configuration.mode()).isEqualTo(RunMode.CI);
        assertThat(configuration.resultsDirectory()).isEqualTo(Path.of("target/dyno-results"));
        assertThat(configuration.historyDirectory()).contains(Path.of("target/dyno-history"));
        assertThat(configuration.historyMinChange()).isEqualTo(0.05);
        assertThat(configuration.dockerImage()).isEmpty();
        assertThat(configuration.processCpuLimit()).isEqualTo("auto");
        assertThat(configuration.loadScale()).isEmpty();
        assertThat(configuration.loadIoThreads()).isEmpty();
        assertThat(configuration.loadPacer()).isEqualTo("park");
        assertThat(configuration.loadResolve()).isEmpty();
        assertThat(configuration.loadTlsTrustStore()).isEmpty();
        assertThat(configuration.loadTlsTrustStorePassword()).isEmpty();
        assertThat(configuration.loadTlsCaFile()).isEmpty();
        assertThat(configuration.loadTlsKeyStore()).isEmpty();
        assertThat(configuration.loadTlsKeyStorePassword()).isEmpty();
        assertThat(configuration.loadTlsInsecure()).isFalse();
        assertThat(configuration.gpus()).isEmpty();
        assertThat(configuration.skips()).isEqualTo("skip");
        assertThat(configuration.jfrFlameGraphs()).isEqualTo("on-failure");
        assertThat(configuration.parameters()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKey")
    @DisplayName("reads every key from the launcher's configuration parameters, as EngineTestKit passes them")
    void fromLauncherParameters(Setting setting) {
        SeesConfigurationTestCase.reset();

        EngineTestKit.engine("junit-jupiter").selectors(selectClass(SeesConfigurationTestCase.class))
                .configurationParameter(setting.key(), setting.value())
                .execute().testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(setting.read().apply(SeesConfigurationTestCase.current.get())).isEqualTo(setting.expected());
        assertThat(SeesConfigurationTestCase.current.get()).isEqualTo(SeesConfigurationTestCase.ofContext.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKey")
    @DisplayName("reads every key from junit-platform.properties on the class path")
    void fromPropertiesFile(Setting setting) throws Exception {
        SeesConfigurationTestCase.reset();

        withoutSystemProperty(setting.key(), () -> runWithPropertiesFile(Map.of(setting.key(), setting.value()),
                SeesConfigurationTestCase.class)).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(setting.read().apply(SeesConfigurationTestCase.ofContext.get())).isEqualTo(setting.expected());
        assertThat(setting.read().apply(SeesConfigurationTestCase.current.get())).isEqualTo(setting.expected());
    }

    @Test
    @DisplayName("lets a system property win over junit-platform.properties, and a launcher parameter over both")
    void precedence() throws Exception {
        String key = DynoConfiguration.LOAD_SCALE_PROPERTY;
        SeesConfigurationTestCase.reset();
        withSystemProperty(key, "2", () -> runWithPropertiesFile(Map.of(key, "0.5"), SeesConfigurationTestCase.class));
        assertThat(SeesConfigurationTestCase.current.get().loadScale()).hasValue(2.0);

        SeesConfigurationTestCase.reset();
        withSystemProperty(key, "2", () -> runWithPropertiesFile(Map.of(key, "0.5"), SeesConfigurationTestCase.class,
                key, "7"));
        assertThat(SeesConfigurationTestCase.current.get().loadScale()).hasValue(7.0);

        SeesConfigurationTestCase.reset();
        withoutSystemProperty(key, () -> runWithPropertiesFile(Map.of(key, "0.5"), SeesConfigurationTestCase.class));
        assertThat(SeesConfigurationTestCase.current.get().loadScale()).hasValue(0.5);
    }

    @Test
    @DisplayName("outside a test reads system properties and junit-platform.properties, the system property first")
    void outsideATest() throws Exception {
        String key = DynoConfiguration.MODE_PROPERTY;
        Files.writeString(temp.resolve(DynoConfiguration.PROPERTIES_FILE), key + " = full\n");

        assertThat(withoutSystemProperty(key, () -> withContextClassLoader(() -> RunMode.current())))
                .isEqualTo(RunMode.FULL);
        assertThat(withSystemProperty(key, "ci", () -> withContextClassLoader(() -> RunMode.current())))
                .isEqualTo(RunMode.CI);
        assertThat(withoutSystemProperty(key, () -> RunMode.current())).as("without the file").isEqualTo(RunMode.CI);
    }

    @Test
    @DisplayName("is current on the test's thread only while a @PerfTest runs")
    void currentOnlyDuringTheTest() {
        SeesConfigurationTestCase.reset();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(SeesConfigurationTestCase.class))
                .configurationParameter(DynoConfiguration.GPUS_PROPERTY, "3")
                .execute().testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(SeesConfigurationTestCase.beforeEach.get().gpus()).contains("3");
        assertThat(SeesConfigurationTestCase.current.get().gpus()).contains("3");
        assertThat(SeesConfigurationTestCase.afterEach.get().gpus()).contains("3");
        assertThat(DynoConfiguration.current().gpus()).as("after the run").isEqualTo(
                Optional.ofNullable(System.getProperty(DynoConfiguration.GPUS_PROPERTY)));
    }

    @Test
    @DisplayName("keeps parallel runs with different parameters apart")
    void parallelRuns() throws Exception {
        ParallelTestCase.seen.clear();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            ParallelTestCase.together.set(together);
            List<Future<?>> runs = new ArrayList<>();
            for (String mode : List.of("ci", "full")) {
                runs.add(threads.submit(() -> {
                    Thread.currentThread().setName("run-" + mode);
                    EngineTestKit.engine("junit-jupiter").selectors(selectClass(ParallelTestCase.class))
                            .configurationParameter(DynoConfiguration.MODE_PROPERTY, mode)
                            .execute().testEvents().assertStatistics(s -> s.succeeded(1));
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(ParallelTestCase.seen).containsEntry("run-ci", RunMode.CI).containsEntry("run-full", RunMode.FULL);
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("badValues")
    @DisplayName("fails on a value that is not allowed, naming key, value and what is allowed, before provisioning")
    void badValue(String key, String value, String allowed) {
        String expected = key + " = \"" + value + "\": " + allowed;
        assertThatThrownBy(() -> DynoConfiguration.of(Map.of(key, value)))
                .isInstanceOf(ExtensionConfigurationException.class).hasMessage(expected);
        ProvisionsTestCase.entered.set(false);

        EngineTestKit.engine("junit-jupiter").selectors(selectClass(ProvisionsTestCase.class))
                .configurationParameter(key, value)
                .execute().testEvents().assertThatEvents().haveExactly(1, event(test("provisions"),
                        finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(expected))));
        assertThat(ProvisionsTestCase.entered).isFalse();
    }

    @Test
    @DisplayName("fails on a value that is not allowed in junit-platform.properties too")
    void badValueInFile() throws Exception {
        withoutSystemProperty(DynoConfiguration.MODE_PROPERTY, () -> runWithPropertiesFile(
                Map.of(DynoConfiguration.MODE_PROPERTY, "fast"), ProvisionsTestCase.class))
                .testEvents().assertThatEvents().haveExactly(1, event(test("provisions"),
                        finishedWithFailure(message("dyno.mode = \"fast\": allowed are ci, full"))));
    }

    @Test
    @DisplayName("takes a changed copy with with(), and refuses a key it does not know, naming the closest")
    void with() {
        DynoConfiguration base = DynoConfiguration.of(Map.of(DynoConfiguration.MODE_PROPERTY, "full"));
        DynoConfiguration process = base.with(DynoConfiguration.RUNTIME_PROPERTY, "process");

        assertThat(process.runtime()).isEqualTo("process");
        assertThat(process.mode()).isEqualTo(RunMode.FULL);
        assertThat(base.runtime()).isEqualTo("auto");
        assertThatThrownBy(() -> base.with(DynoConfiguration.RUNTIME_PROPERTY, "warp"))
                .hasMessage("dyno.runtime = \"warp\": allowed are auto, process, docker");
        assertThatIllegalArgumentException().isThrownBy(() -> base.with("dyno.histroy.dir", "x"))
                .withMessage("dyno.histroy.dir is not a Dyno configuration key; did you mean dyno.history.dir?");
        assertThatIllegalArgumentException().isThrownBy(() -> DynoConfiguration.of(Map.of("dyno.gpu", "1")))
                .withMessage("dyno.gpu is not a Dyno configuration key; did you mean dyno.gpus?");
    }

    @Test
    @DisplayName("names the closest known key by edit distance")
    void closestKey() {
        assertThat(DynoConfiguration.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(DynoConfiguration.editDistance("", "abc")).isEqualTo(3);
        assertThat(DynoConfiguration.editDistance("dyno.mode", "dyno.mode")).isZero();
        assertThat(DynoConfiguration.closestKey("dyno.mod")).isEqualTo("dyno.mode");
        assertThat(DynoConfiguration.closestKey("dyno.load.iothreads")).isEqualTo("dyno.load.ioThreads");
        assertThat(DynoConfiguration.closestKey("dyno.history.directory")).isEqualTo("dyno.history.dir");
        assertThat(DynoConfiguration.closestKey("dyno.process.cpulimit")).isEqualTo("dyno.process.cpu-limit");
    }

    @Test
    @DisplayName("counts only dyno.* keys that neither Dyno nor the test suites know as unknown")
    void unknownKeys() {
        assertThat(DynoConfiguration.unknownKeys(Set.of("dyno.mode", "dyno.measure", "dyno.load.fixtures",
                "java.version", "dyno.modes", "dyno.results.directory")))
                .containsExactly("dyno.modes", "dyno.results.directory");
    }

    @Test
    @DisplayName("warns once per JVM about an unknown key in junit-platform.properties, naming the closest key")
    void unknownKeyWarning() throws Exception {
        String misspelt = "dyno.history.dirr";
        Map<String, String> file = Map.of(misspelt, OUTPUT + "history", "dyno.measure", "false",
                DynoConfiguration.MODE_PROPERTY, "ci");

        String err = standardError(() -> {
            runWithPropertiesFile(file, SeesConfigurationTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
            runWithPropertiesFile(file, SeesConfigurationTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
            return null;
        });

        assertThat(err.lines().filter(l -> l.contains("unknown configuration key"))).containsExactly(
                "[dyno] WARNING: unknown configuration key dyno.history.dirr (in junit-platform.properties), ignored; "
                        + "did you mean dyno.history.dir?");
    }

    @Test
    @DisplayName("warns about an unknown key among the system properties")
    void unknownSystemProperty() throws Exception {
        String err = standardError(() -> withSystemProperty("dyno.load.scael", "2", () -> DynoConfiguration.current()));

        assertThat(err).contains("[dyno] WARNING: unknown configuration key dyno.load.scael (in system properties), "
                + "ignored; did you mean dyno.load.scale?");
    }

    @Test
    @DisplayName("reads the first junit-platform.properties of a class loader, and nothing without one")
    void propertiesFile() throws Exception {
        Files.writeString(temp.resolve(DynoConfiguration.PROPERTIES_FILE), "# a comment\ndyno.mode=full\nother.key = 1\n");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {temp.toUri().toURL()}, null)) {
            assertThat(DynoConfiguration.propertiesFile(loader)).containsExactly(Map.entry("dyno.mode", "full"),
                    Map.entry("other.key", "1"));
        }
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThat(DynoConfiguration.propertiesFile(empty)).isEmpty();
        }
    }

    @Test
    @DisplayName("reaches the results directory, the history and the fingerprint of the results file")
    void reachesTheReports() throws IOException {
        Path results = temp.resolve("results");
        Path history = temp.resolve("history");

        EngineTestKit.engine("junit-jupiter").selectors(selectClass(SeesConfigurationTestCase.class))
                .configurationParameter(DynoConfiguration.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(DynoConfiguration.HISTORY_DIR_PROPERTY, history.toString())
                .configurationParameter(DynoConfiguration.MODE_PROPERTY, "full")
                .configurationParameter(DynoConfiguration.RUNTIME_PROPERTY, "process")
                .configurationParameter(DynoConfiguration.LOAD_SCALE_PROPERTY, "0.5")
                .execute().testEvents().assertStatistics(s -> s.succeeded(1));

        List<Path> files;
        try (Stream<Path> list = Files.list(results)) {
            files = list.toList();
        }
        assertThat(files).hasSize(1);
        JsonNode environment = new ObjectMapper().readTree(files.get(0).toFile()).path("environment");
        assertThat(environment.path("dyno.mode").asText()).isEqualTo("full");
        assertThat(environment.path("dyno.runtime").asText()).isEqualTo("process");
        assertThat(environment.path("dyno.load.scale").asText()).isEqualTo("0.5");
        try (Stream<Path> walk = Files.walk(history)) {
            assertThat(walk.filter(p -> p.toString().endsWith(".json"))).hasSize(1);
        }
    }

    @Test
    @DisplayName("reaches the runtime a @PerfTest gets, and the process runtime's CPU limit")
    void reachesTheRuntime() {
        ProvisionsTestCase.entered.set(false);
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(ProvisionsTestCase.class))
                .configurationParameter(DynoConfiguration.RESULTS_DIR_PROPERTY, temp.toString())
                .configurationParameter(DynoConfiguration.RUNTIME_PROPERTY, "process")
                .execute().testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(ProvisionsTestCase.runtime.get()).isEqualTo("process");

        try (ProcessRuntime affinity = ProcessRuntime.open(DynoConfiguration.of(
                Map.of(DynoConfiguration.PROCESS_CPU_LIMIT_PROPERTY, "affinity")))) {
            assertThat(affinity.cpuLimitMechanism()).isIn(CpuLimitMechanism.AFFINITY, CpuLimitMechanism.NONE);
        }
    }

    private EngineExecutionResults runWithPropertiesFile(Map<String, String> entries, Class<?> testCase,
            String... parameters) throws Exception {
        Path directory = Files.createTempDirectory(temp, "classpath");
        Properties properties = new Properties();
        properties.putAll(entries);
        try (OutputStream out = Files.newOutputStream(directory.resolve(DynoConfiguration.PROPERTIES_FILE))) {
            properties.store(out, null);
        }
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {directory.toUri().toURL()}, original)) {
            thread.setContextClassLoader(loader);
            // EngineTestKit leaves system properties and junit-platform.properties out unless asked
            var kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testCase))
                    .enableImplicitConfigurationParameters(true);
            for (int i = 0; i + 1 < parameters.length; i += 2) {
                kit.configurationParameter(parameters[i], parameters[i + 1]);
            }
            return kit.execute();
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    private <T> T withContextClassLoader(Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {temp.toUri().toURL()}, original)) {
            thread.setContextClassLoader(loader);
            return action.call();
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    // The build passes some dyno.* keys as system properties (surefire's systemPropertyVariables),
    // which would win over the file; these tests run one at a time, so changing one briefly is safe.
    private static <T> T withoutSystemProperty(String key, Callable<T> action) throws Exception {
        return withSystemProperty(key, null, action);
    }

    private static <T> T withSystemProperty(String key, String value, Callable<T> action) throws Exception {
        String original = System.getProperty(key);
        setOrClear(key, value);
        try {
            return action.call();
        } finally {
            setOrClear(key, original);
        }
    }

    private static void setOrClear(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static String standardError(Callable<?> action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.call();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    static class SeesConfigurationTestCase {
        static final AtomicReference<DynoConfiguration> beforeEach = new AtomicReference<>();
        static final AtomicReference<DynoConfiguration> current = new AtomicReference<>();
        static final AtomicReference<DynoConfiguration> ofContext = new AtomicReference<>();
        static final AtomicReference<DynoConfiguration> afterEach = new AtomicReference<>();

        static void reset() {
            beforeEach.set(null);
            current.set(null);
            ofContext.set(null);
            afterEach.set(null);
        }

        @RegisterExtension
        static final BeforeEachCallback OF_CONTEXT = context -> ofContext.set(DynoConfiguration.of(context));

        @BeforeEach
        void before() {
            beforeEach.set(DynoConfiguration.current());
        }

        @PerfTest
        void sees(Recorder recorder) {
            current.set(DynoConfiguration.current());
            recorder.increment("runs");
        }

        @AfterEach
        void after() {
            afterEach.set(DynoConfiguration.current());
        }
    }

    static class ParallelTestCase {
        static final Map<String, RunMode> seen = new ConcurrentHashMap<>();
        static final AtomicReference<CyclicBarrier> together = new AtomicReference<>();

        @PerfTest
        void mode() throws Exception {
            together.get().await(30, TimeUnit.SECONDS); // both runs are inside their test at once
            seen.put(Thread.currentThread().getName(), RunMode.current());
        }
    }

    static class ProvisionsTestCase {
        static final AtomicBoolean entered = new AtomicBoolean();
        static final AtomicReference<String> runtime = new AtomicReference<>();

        @PerfTest
        void provisions(WorkloadRuntime workloads) {
            entered.set(true);
            runtime.set(workloads.name());
        }
    }
}
