package dev.dyno.examples.cpuboost;

import static dev.dyno.examples.cpuboost.CpuBoostWorkloads.CPU_RESTORATION;
import static dev.dyno.examples.cpuboost.CpuBoostWorkloads.JAVA_LOAD_TEST;
import static dev.dyno.examples.cpuboost.CpuBoostWorkloads.JVM_APP_STARTUP;
import static dev.dyno.examples.cpuboost.CpuBoostWorkloads.NODEJS_HEAVY_MODULES;
import static dev.dyno.examples.cpuboost.CpuBoostWorkloads.PYTHON_BASELINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.config.DynoAssumptions;
import dev.dyno.metrics.MalformedMetricsJsonException;
import dev.dyno.metrics.MetricsJson;
import dev.dyno.runtime.NetworkMode;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.Runtimes;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every CPU boost workload that can run here once, as a local process and (where an engine
 * answers) in its container, and checks what it reports, so a broken workload fails the build.
 */
@DisplayName("The CPU boost workloads")
class CpuBoostWorkloadsTests {

    private static final Map<String, Supplier<WorkloadSpec>> CATALOG = new CpuBoostWorkloads().workloads();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    /** Each run-to-completion workload's timings, all seconds. */
    private static final Map<String, List<String>> TIMINGS = Map.of(
            JAVA_LOAD_TEST, List.of("jvm_boot_time", "class_loading_time", "first_computation_time",
                    "second_computation_time", "total_time"),
            PYTHON_BASELINE, List.of("interpreter_boot_time", "import_time", "computation_time", "total_time"),
            CPU_RESTORATION, List.of("total_time"),
            NODEJS_HEAVY_MODULES, List.of("node_boot_time", "import_time", "first_processing_time", "total_time"),
            JVM_APP_STARTUP, List.of("jvm_boot_time", "application_start_time", "application_ready_time", "total_time"));

    private static final Map<String, String> TEST_NAMES = Map.of(JAVA_LOAD_TEST, "java_load", PYTHON_BASELINE, "baseline",
            CPU_RESTORATION, "cpu_restoration", NODEJS_HEAVY_MODULES, "nodejs_load", JVM_APP_STARTUP, "spring_startup");

    @Test
    @DisplayName("are all found by name, each named as the catalog names it, with no CPU limit and files that exist")
    void catalogIsComplete() {
        assertThat(WorkloadCatalog.all()).containsKeys(CATALOG.keySet().toArray(String[]::new));
        assertThat(CATALOG.keySet()).containsExactly(JAVA_LOAD_TEST, PYTHON_BASELINE, CPU_RESTORATION,
                NODEJS_HEAVY_MODULES, JVM_APP_STARTUP, "pytorch-load", "tensorflow-load", "scipy-load", "pytorch-load-debian",
                "scipy-load-debian", "julia-load",
                "backendai-python-pytorch", "backendai-python-tensorflow", "backendai-ngc-tensorflow");
        CATALOG.forEach((name, supplier) -> {
            WorkloadSpec spec = supplier.get();
            assertThat(spec.name()).isEqualTo(name);
            assertThat(spec.image()).as(name).isNotBlank();
            assertThat(spec.cpuLimit()).as(name).isEmpty();
            assertThat(spec.network()).as(name).isEqualTo(name.equals(JVM_APP_STARTUP) ? NetworkMode.HOST : NetworkMode.NONE);
            assertThat(spec.files()).as(name).isNotEmpty();
            if (!name.equals(JVM_APP_STARTUP) || CpuBoostWorkloads.springStartupJar().isPresent()) {
                spec.files().forEach(file -> assertThat(file.source()).as(name).exists().isReadable());
            }
            assertThat(spec.command()).as(name).contains(spec.files().get(0).target());
        });
        assertThat(CATALOG.get(NODEJS_HEAVY_MODULES).get().env().get("NODE_PATH"))
                .endsWith("workloads/cpuboost/node/node_modules:" + CpuBoostWorkloads.NODE_IMAGE_MODULES);
        assertThat(CATALOG.get(JAVA_LOAD_TEST).get().command()).startsWith("java", "-Xshare:auto", "-cp");
        assertThat(CATALOG.get("julia-load").get().image()).isEqualTo("julia:latest");
        assertThat(CATALOG.get("backendai-ngc-tensorflow").get().files().get(0).source())
                .hasFileName("tensorflow_load_test.py");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {JAVA_LOAD_TEST, PYTHON_BASELINE, CPU_RESTORATION, NODEJS_HEAVY_MODULES})
    @DisplayName("run to completion as local processes and report their times in seconds")
    void runToCompletionAsProcesses(String name) {
        try (WorkloadRuntime runtime = Runtimes.open("process")) {
            runToCompletion(runtime, name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {JAVA_LOAD_TEST, PYTHON_BASELINE, CPU_RESTORATION, NODEJS_HEAVY_MODULES})
    @DisplayName("run to completion in their containers and report their times in seconds")
    void runToCompletionInContainers(String name) {
        try (WorkloadRuntime runtime = Runtimes.requireDocker()) {
            runToCompletion(runtime, name);
        }
    }

    @Test
    @DisplayName("jvm-app-startup starts Spring Boot as a local process, answers HTTP and reports its start-up")
    void springBootAsAProcess() throws Exception {
        try (WorkloadRuntime runtime = Runtimes.open("process")) {
            startService(runtime);
        }
    }

    @Test
    @DisplayName("jvm-app-startup starts Spring Boot in its container, answers HTTP and reports its start-up")
    void springBootInAContainer() throws Exception {
        try (WorkloadRuntime runtime = Runtimes.requireDocker()) {
            startService(runtime);
        }
    }

    private static void runToCompletion(WorkloadRuntime runtime, String name) {
        WorkloadSpec spec = spec(runtime, name);
        long started = System.nanoTime();
        RunningWorkload workload = runtime.start(spec);
        int exit = workload.awaitExit(RUN_TIMEOUT);
        double wall = (System.nanoTime() - started) / 1e9;
        assertThat(exit).as("exit code; output:%n%s%n%s", workload.stdout(), workload.stderr()).isZero();

        MetricsJson metrics = workload.metrics().orElseThrow();
        checkTimings(name, metrics, wall);
        assertThat(metrics.number("cpu_allocated").orElseThrow()).isBetween(1.0,
                (double) Runtime.getRuntime().availableProcessors());
        if (name.equals(CPU_RESTORATION)) {
            checkIterations(metrics, workload.stdout());
        }
    }

    private static void startService(WorkloadRuntime runtime) throws Exception {
        WorkloadSpec spec = spec(runtime, JVM_APP_STARTUP);
        long started = System.nanoTime();
        try (RunningWorkload app = runtime.start(spec)) {
            double wall = (System.nanoTime() - started) / 1e9;
            MetricsJson metrics = awaitMetrics(app);
            checkTimings(JVM_APP_STARTUP, metrics, wall + 1);
            int port = Integer.parseInt(spec.command().get(spec.command().size() - 1).replace("--server.port=", ""));
            URI greeting = app.endpoint(port).uri("http", "/greeting?name=Dyno");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(greeting)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"id\":1,\"content\":\"Hello, Dyno!\"}");
        }
    }

    /** The spec, or the test skipped with what to do where this machine lacks what it needs. */
    private static WorkloadSpec spec(WorkloadRuntime runtime, String name) {
        WorkloadSpec spec = CATALOG.get(name).get();
        if (name.equals(CPU_RESTORATION)) {
            spec = spec.withArgs("--seconds", "2", "--interval", "0.5");
        }
        if (name.equals(NODEJS_HEAVY_MODULES) && runtime.name().equals("process")) {
            DynoAssumptions.assumeThat(CpuBoostWorkloads.hostNodeModules().isPresent(),
                    () -> "the Node.js test's packages are not installed: run workloads/cpuboost/node/install.sh");
        }
        if (name.equals(JVM_APP_STARTUP)) {
            DynoAssumptions.assumeThat(CpuBoostWorkloads.springStartupJar().isPresent(), () -> "the Spring Boot jar is "
                    + "not built (" + CpuBoostWorkloads.SPRING_STARTUP_JAR + "): run ./mvnw -pl workloads/spring-startup -am package");
        }
        Optional<String> unsupported = runtime.unsupportedReason(spec);
        if (unsupported.isPresent() && runtime.name().equals("docker") && !requireDocker()) {
            DynoAssumptions.abort(unsupported.get());
        }
        return spec;
    }

    private static boolean requireDocker() {
        return "true".equalsIgnoreCase(String.valueOf(System.getenv(Runtimes.REQUIRE_DOCKER_ENV)).strip());
    }

    /** Seconds, not milliseconds: every time is positive and within what this test waited for it. */
    private static void checkTimings(String name, MetricsJson metrics, double wallSeconds) {
        assertThat(metrics.fields().get("test_name")).isEqualTo(TEST_NAMES.get(name));
        for (String field : TIMINGS.get(name)) {
            assertThat(metrics.number(field)).as("%s in %s", field, metrics).isPresent();
            // 20 ms of slack: the process start is known to Linux's 10 ms clock ticks.
            assertThat(metrics.number(field).get()).as("%s in %s", field, metrics).isPositive()
                    .isLessThanOrEqualTo(wallSeconds + 0.02);
        }
        double total = metrics.number("total_time").orElseThrow();
        for (String field : TIMINGS.get(name)) {
            assertThat(metrics.number(field).get()).as(field).isLessThanOrEqualTo(total);
        }
        double startedAt = metrics.number("container_start_time").orElseThrow();
        assertThat(startedAt).isCloseTo(System.currentTimeMillis() / 1e3 - total, within(wallSeconds + 1));
    }

    private static void checkIterations(MetricsJson metrics, String stdout) {
        JsonNode iterations;
        try {
            iterations = JSON.readTree((String) metrics.fields().get("iterations"));
        } catch (Exception e) {
            throw new AssertionError("iterations is not a JSON array: " + metrics.fields().get("iterations"), e);
        }
        // 2 s at 0.5 s intervals: 4 starts, fewer only if an iteration overran its interval.
        assertThat(iterations.size()).isBetween(2, 4).isEqualTo(metrics.number("iterations_count").get().intValue());
        List<Double> starts = new ArrayList<>();
        for (JsonNode iteration : iterations) {
            assertThat(iteration.size()).isEqualTo(2);
            starts.add(iteration.get(0).asDouble());
            assertThat(iteration.get(1).asDouble()).isPositive().isLessThan(2);
        }
        assertThat(stdout.lines().filter(line -> line.matches("Second +\\d+: \\d+\\.\\d{3}s"))).hasSize(iterations.size());
        assertThat(starts).isSorted();
        assertThat(starts.get(1) - starts.get(0)).isGreaterThanOrEqualTo(0.49);
    }

    /** A service prints its block after its ready line: wait for the whole of it. */
    private static MetricsJson awaitMetrics(RunningWorkload app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                Optional<MetricsJson> metrics = app.metrics();
                if (metrics.isPresent()) {
                    return metrics.get();
                }
            } catch (MalformedMetricsJsonException e) {
                // the marker has arrived, the JSON line not yet
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no METRICS_JSON after ready; output:\n" + app.stdout());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Each locally runnable workload's wall time and reported total as a process, without a CPU limit,
     * then the Java load test at 1 and 0.5 cores, then (with Docker) each in its container:
     * {@code -Ddyno.measure=true}, as timings depend on the machine.
     */
    @Test
    @EnabledIfSystemProperty(named = "dyno.measure", matches = "true")
    @DisplayName("measure: wall and reported times as local processes")
    void measure() throws Exception {
        List<String> lines = new ArrayList<>();
        try (WorkloadRuntime runtime = Runtimes.open("process")) {
            for (String name : List.of(JAVA_LOAD_TEST, PYTHON_BASELINE, NODEJS_HEAVY_MODULES, JVM_APP_STARTUP,
                    CPU_RESTORATION)) {
                lines.add(measureOnce(runtime, name, spec(runtime, name)));
            }
            for (double cores : new double[] {1.0, 0.5}) {
                for (int i = 0; i < 3; i++) {
                    lines.add(measureOnce(runtime, JAVA_LOAD_TEST + " @" + cores,
                            spec(runtime, JAVA_LOAD_TEST).withCpuLimit(cores)));
                }
            }
        }
        if (Runtimes.dockerAvailable()) {
            try (WorkloadRuntime docker = Runtimes.open("docker")) {
                for (String name : List.of(JAVA_LOAD_TEST, PYTHON_BASELINE, NODEJS_HEAVY_MODULES, JVM_APP_STARTUP)) {
                    lines.add(measureOnce(docker, name + " (docker)", spec(docker, name)));
                }
            }
        }
        lines.forEach(System.out::println);
    }

    private static String measureOnce(WorkloadRuntime runtime, String label, WorkloadSpec spec) throws Exception {
        boolean service = spec.readiness() instanceof Readiness.LogLine;
        long started = System.nanoTime();
        try (RunningWorkload workload = runtime.start(spec)) {
            MetricsJson metrics;
            if (service) {
                metrics = awaitMetrics(workload);
            } else {
                workload.awaitExit(RUN_TIMEOUT);
                metrics = workload.metrics().orElseThrow();
            }
            double wall = (System.nanoTime() - started) / 1e9;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s wall %6.3f s", label, wall));
            metrics.fields().forEach((field, value) -> {
                if (field.endsWith("_time") && !field.equals("container_start_time") && value instanceof Number n) {
                    line.append(String.format(Locale.ROOT, "  %s %.3f", field, n.doubleValue()));
                }
            });
            if (metrics.fields().get("iterations") instanceof String iterations) {
                double sum = 0;
                JsonNode all = JSON.readTree(iterations);
                for (JsonNode iteration : all) {
                    sum += iteration.get(1).asDouble();
                }
                line.append(String.format(Locale.ROOT, "  iteration mean %.3f s (%d units)", sum / all.size(),
                        metrics.number("units").orElseThrow().intValue()));
            }
            return line.toString();
        }
    }
}
