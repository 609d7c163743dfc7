package dev.dyno.examples.cpuboost;

import dev.dyno.runtime.NetworkMode;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadSpec;
import dev.dyno.workloads.cpuboost.JavaLoadTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The CPU boost guide's workloads, by the names {@code @CpuBoost(workload = …)} uses. Each runs the
 * same way as a local process and in its image; none has a CPU limit (the experiment sets it).
 *
 * <table>
 *   <caption>Workloads</caption>
 *   <tr><th>name</th><th>image</th><th>command</th></tr>
 *   <tr><td>{@value #JAVA_LOAD_TEST}</td><td>{@value #JRE_PYTHON_IMAGE}</td>
 *       <td>{@code java -Xshare:auto -cp app …JavaLoadTest} (the {@code workloads} module's classes or jar)</td></tr>
 *   <tr><td>{@value #PYTHON_BASELINE}</td><td>{@value #JRE_PYTHON_IMAGE}</td><td>{@code python3 baseline_test.py}</td></tr>
 *   <tr><td>{@value #CPU_RESTORATION}</td><td>{@value #JRE_PYTHON_IMAGE}</td>
 *       <td>{@code python3 cpu_restoration_test.py} (the guide's 120 s at 1 s intervals; append
 *       {@code --seconds}, {@code --interval}, {@code --units} with {@link WorkloadSpec#withArgs})</td></tr>
 *   <tr><td>{@value #NODEJS_HEAVY_MODULES}</td><td>{@value #NODE_HEAVY_IMAGE}</td>
 *       <td>{@code node test.js}, packages through {@code NODE_PATH}</td></tr>
 *   <tr><td>{@value #JVM_APP_STARTUP}</td><td>{@value #JRE_PYTHON_IMAGE}</td>
 *       <td>{@code java -jar app.jar --server.port=P} (Spring Boot, a service: ready at its "Started … in" line)</td></tr>
 *   <tr><td>{@value #PYTORCH_LOAD_DEBIAN}</td><td>{@value #PYTORCH_IMAGE}</td>
 *       <td>the guide's {@code pytorch_load_test.py}, verbatim, on Debian's PyTorch 1.13 in place of {@code pytorch/pytorch}</td></tr>
 *   <tr><td>{@value #SCIPY_LOAD_DEBIAN}</td><td>{@value #SCIPY_IMAGE}</td>
 *       <td>the guide's {@code scipy_load_test.py}, verbatim, on Debian's numpy, pandas, scipy, matplotlib and
 *       scikit-learn in place of {@code jupyter/scipy-notebook}</td></tr>
 *   <tr><td>{@value #PYTORCH_LOAD}, {@value #TENSORFLOW_LOAD}, {@value #SCIPY_LOAD}, {@value #JULIA_LOAD},
 *       {@value #BACKENDAI_PYTHON_PYTORCH}, {@value #BACKENDAI_PYTHON_TENSORFLOW}, {@value #BACKENDAI_NGC_TENSORFLOW}</td>
 *       <td>the guide's images</td><td>the guide's scripts, verbatim (Docker only; Dyno never pulls them)</td></tr>
 * </table>
 *
 * <p>Files are found under {@code workloads/} in the working directory or the nearest directory
 * above it that has one (the example suites run in {@code example-suites/}). The Spring Boot jar is
 * {@value #SPRING_STARTUP_JAR_PROPERTY} when that system property is set (the example suites' build
 * sets it), else {@value #SPRING_STARTUP_JAR} found the same way; it exists once
 * {@code workloads/spring-startup} is packaged. The Node.js packages are in
 * {@code workloads/cpuboost/node/node_modules} once {@code install.sh} ran there, and in
 * {@value #NODE_IMAGE_MODULES} in the image. Both specs are returned either way; starting one whose
 * files are missing fails with the path.
 */
public final class CpuBoostWorkloads implements WorkloadCatalog {

    public static final String JAVA_LOAD_TEST = "java-load-test";
    public static final String PYTHON_BASELINE = "python-baseline";
    public static final String CPU_RESTORATION = "cpu-restoration";
    public static final String NODEJS_HEAVY_MODULES = "nodejs-heavy-modules";
    public static final String JVM_APP_STARTUP = "jvm-app-startup";
    public static final String PYTORCH_LOAD = "pytorch-load";
    public static final String TENSORFLOW_LOAD = "tensorflow-load";
    public static final String SCIPY_LOAD = "scipy-load";
    public static final String JULIA_LOAD = "julia-load";
    public static final String BACKENDAI_PYTHON_PYTORCH = "backendai-python-pytorch";
    public static final String BACKENDAI_PYTHON_TENSORFLOW = "backendai-python-tensorflow";
    public static final String BACKENDAI_NGC_TENSORFLOW = "backendai-ngc-tensorflow";
    public static final String PYTORCH_LOAD_DEBIAN = "pytorch-load-debian";
    public static final String SCIPY_LOAD_DEBIAN = "scipy-load-debian";

    public static final String JRE_PYTHON_IMAGE = "dyno/jre17-python:local";
    public static final String NODE_HEAVY_IMAGE = "dyno/node18-heavy:local";
    /** Debian's PyTorch, torchvision and torchaudio, built by {@code workloads/images/build-local-images.sh}. */
    public static final String PYTORCH_IMAGE = "dyno/pytorch:local";
    /** Debian's scientific Python stack, built by {@code workloads/images/build-local-images.sh}. */
    public static final String SCIPY_IMAGE = "dyno/scipy:local";

    /** Where {@code dyno/node18-heavy:local} keeps the Node.js test's packages. */
    public static final String NODE_IMAGE_MODULES = "/opt/dyno/nodejs_load_test/node_modules";

    /** System property naming the Spring Boot start-up jar. */
    public static final String SPRING_STARTUP_JAR_PROPERTY = "dyno.workloads.spring-startup.jar";

    /** Where {@code workloads/spring-startup} packages its jar, from the project's root. */
    public static final String SPRING_STARTUP_JAR = "workloads/spring-startup/target/spring-startup.jar";

    /** Spring Boot's line when the application has started: {@code Started SpringStartupApplication in 1.9 seconds}. */
    public static final String SPRING_STARTED_LINE = "Started \\S+ in \\d";

    static final String PYTHON_DIR = "workloads/cpuboost/python";
    static final String NODE_DIR = "workloads/cpuboost/node";
    static final String GUIDE_DIR = "workloads/cpuboost/guide";

    @Override
    public Map<String, Supplier<WorkloadSpec>> workloads() {
        Map<String, Supplier<WorkloadSpec>> workloads = new LinkedHashMap<>();
        workloads.put(JAVA_LOAD_TEST, CpuBoostWorkloads::javaLoadTest);
        workloads.put(PYTHON_BASELINE, () -> python(PYTHON_BASELINE, JRE_PYTHON_IMAGE, PYTHON_DIR, "baseline_test.py"));
        workloads.put(CPU_RESTORATION, () -> python(CPU_RESTORATION, JRE_PYTHON_IMAGE, PYTHON_DIR, "cpu_restoration_test.py"));
        workloads.put(NODEJS_HEAVY_MODULES, CpuBoostWorkloads::nodejsHeavyModules);
        workloads.put(JVM_APP_STARTUP, CpuBoostWorkloads::jvmAppStartup);
        workloads.put(PYTORCH_LOAD, () -> python(PYTORCH_LOAD, "pytorch/pytorch:latest", GUIDE_DIR, "pytorch_load_test.py"));
        workloads.put(TENSORFLOW_LOAD, () -> python(TENSORFLOW_LOAD, "tensorflow/tensorflow:latest", GUIDE_DIR,
                "tensorflow_load_test.py"));
        workloads.put(SCIPY_LOAD, () -> python(SCIPY_LOAD, "jupyter/scipy-notebook:latest", GUIDE_DIR, "scipy_load_test.py"));
        // The same scripts on images built from Debian's packages, for machines without a registry.
        workloads.put(PYTORCH_LOAD_DEBIAN, () -> python(PYTORCH_LOAD_DEBIAN, PYTORCH_IMAGE, GUIDE_DIR, "pytorch_load_test.py"));
        workloads.put(SCIPY_LOAD_DEBIAN, () -> python(SCIPY_LOAD_DEBIAN, SCIPY_IMAGE, GUIDE_DIR, "scipy_load_test.py"));
        workloads.put(JULIA_LOAD, () -> runToCompletion(JULIA_LOAD, "julia:latest", "julia", GUIDE_DIR, "julia_load_test.jl"));
        // The guide runs its PyTorch and TensorFlow scripts unchanged on Backend.AI's images.
        workloads.put(BACKENDAI_PYTHON_PYTORCH, () -> python(BACKENDAI_PYTHON_PYTORCH, "lablup/python-pytorch:2.0-py311",
                GUIDE_DIR, "pytorch_load_test.py"));
        workloads.put(BACKENDAI_PYTHON_TENSORFLOW, () -> python(BACKENDAI_PYTHON_TENSORFLOW,
                "lablup/python-tensorflow:2.13-py311", GUIDE_DIR, "tensorflow_load_test.py"));
        workloads.put(BACKENDAI_NGC_TENSORFLOW, () -> python(BACKENDAI_NGC_TENSORFLOW, "lablup/ngc-tensorflow:23.08-tf2-py3",
                GUIDE_DIR, "tensorflow_load_test.py"));
        return workloads;
    }

    /** The JVM with its defaults (as the guide measures it) on the workloads module's classes or jar. */
    private static WorkloadSpec javaLoadTest() {
        Path code = codeSourceOf(JavaLoadTest.class);
        String classPath = Files.isDirectory(code) ? "app" : "app.jar";
        return runToCompletionSpec(JAVA_LOAD_TEST, JRE_PYTHON_IMAGE,
                WorkloadSpec.ofCommand("java", "-Xshare:auto", "-cp", classPath, JavaLoadTest.class.getName())
                        .withFile(code, classPath));
    }

    /**
     * {@code node test.js} with {@code NODE_PATH} listing the host's {@code node_modules} and the
     * image's: Node skips entries that do not exist, so one spec finds its packages on both runtimes.
     */
    private static WorkloadSpec nodejsHeavyModules() {
        Path nodeModules = projectFile(NODE_DIR).resolve("node_modules");
        return runToCompletion(NODEJS_HEAVY_MODULES, NODE_HEAVY_IMAGE, "node", NODE_DIR, "test.js")
                .withEnv("NODE_PATH", nodeModules + ":" + NODE_IMAGE_MODULES);
    }

    /** The Spring Boot app as a service on a free loopback port of the host's network. */
    private static WorkloadSpec jvmAppStartup() {
        Path jar = expectedSpringStartupJar();
        int port = freePort();
        return WorkloadSpec.ofCommand("java", "-jar", "app.jar", "--server.port=" + port)
                .withName(JVM_APP_STARTUP)
                .withImage(JRE_PYTHON_IMAGE)
                .withFile(jar, "app.jar")
                .withNetwork(NetworkMode.HOST)
                .withReadiness(Readiness.logLine(SPRING_STARTED_LINE))
                // A framework start-up at a fraction of a core on a busy 2-core machine: generous.
                .withReadinessTimeout(Duration.ofMinutes(3));
    }

    private static WorkloadSpec python(String name, String image, String dir, String script) {
        return runToCompletion(name, image, "python3", dir, script);
    }

    private static WorkloadSpec runToCompletion(String name, String image, String program, String dir, String script) {
        return runToCompletionSpec(name, image,
                WorkloadSpec.ofCommand(program, script).withFile(projectFile(dir + "/" + script), script));
    }

    /** Started is enough: a run-to-completion workload is awaited (and its METRICS_JSON read) by the caller. */
    private static WorkloadSpec runToCompletionSpec(String name, String image, WorkloadSpec spec) {
        return spec.withName(name)
                .withImage(image)
                .withNetwork(NetworkMode.NONE)
                .withReadiness(Readiness.started());
    }

    /** The Spring Boot start-up jar, if it has been built. */
    public static Optional<Path> springStartupJar() {
        Path jar = expectedSpringStartupJar();
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    private static Path expectedSpringStartupJar() {
        String property = System.getProperty(SPRING_STARTUP_JAR_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        return projectFile(SPRING_STARTUP_JAR);
    }

    /** The host's {@code node_modules} of the Node.js test, if {@code install.sh} has filled it. */
    public static Optional<Path> hostNodeModules() {
        Path modules = projectFile(NODE_DIR).resolve("node_modules");
        return Files.isDirectory(modules.resolve("webpack")) ? Optional.of(modules) : Optional.empty();
    }

    /**
     * {@code relative} under the working directory or the nearest directory above it where it
     * exists; where it exists nowhere, under the nearest one that has a {@code workloads/}
     * directory (so that a missing file is reported at its expected place).
     */
    static Path projectFile(String relative) {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = null;
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate.normalize();
            }
            if (root == null && Files.isDirectory(dir.resolve("workloads/cpuboost"))) {
                root = dir;
            }
        }
        if (root == null) {
            throw new IllegalStateException(relative + " not found in " + cwd + " or above, and no directory there "
                    + "has workloads/cpuboost: run from the Dyno project or one of its modules");
        }
        return root.resolve(relative).normalize();
    }

    private static Path codeSourceOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
