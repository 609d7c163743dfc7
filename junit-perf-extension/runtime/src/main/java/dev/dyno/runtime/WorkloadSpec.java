package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * What to run, and under which limits: an immutable description that every
 * {@link WorkloadRuntime} understands. Each {@code withX} returns a changed copy.
 *
 * <p>A spec names a command, an image, or both. The process runtime runs the command on this
 * machine; the Docker runtime runs the command (or the image's own command) in the image, or in
 * {@value DockerRuntime#DEFAULT_IMAGE_PROPERTY}'s image when the spec names none. So one spec
 * such as {@code ofCommand("python3", "-c", "...")} runs the same way on both.
 *
 * <p>GPUs are given by {@link #withGpuDevices(List)}: the process runtime narrows the program's
 * {@code CUDA_VISIBLE_DEVICES} to them, the Docker runtime asks the engine for them with a device
 * request (which needs the NVIDIA Container Toolkit; without it the Docker runtime refuses the
 * spec, and {@link WorkloadRuntime#unsupportedReason} says why).
 *
 * <pre>{@code
 * WorkloadSpec spec = WorkloadSpec.ofCommand("python3", "load_test.py")
 *     .withImage("dyno/jre17-python:local")
 *     .withFile(Path.of("workloads/python/load_test.py"), "load_test.py")
 *     .withCpuLimit(0.5)
 *     .withMemoryLimit(512L << 20)
 *     .withNetwork(NetworkMode.NONE)
 *     .withReadiness(Readiness.metricsJson())
 *     .withReadinessTimeout(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Values are checked as they are set, with an {@link InvalidWorkloadSpecException} that names
 * the field, the value and what is allowed. What only a runtime can check (the image is present,
 * the command exists, a file is readable) is checked by {@link WorkloadRuntime#start} before
 * anything starts.
 *
 * @param name             a short name for logs, container names and cgroup directories
 * @param image            the container image, or {@code null}
 * @param command          the program and its arguments; empty to run the image's own command
 * @param env              environment variables added to the workload's environment
 * @param workingDir       the working directory; {@code null} for the runtime's default (a fresh
 *                         directory for processes, the image's for containers)
 * @param files            files copied in before start, relative to the working directory
 * @param cpuLimit         the CPU limit in (fractional) cores; empty for none
 * @param memoryLimitBytes the memory limit in bytes; empty for none
 * @param gpuDevices       the GPUs the workload gets, as indexes ({@code "0"}, as nvidia-smi numbers
 *                         them) or UUIDs ({@code "GPU-…"}, {@code "MIG-…"}); empty for none
 * @param network          the network the workload sees
 * @param publishedPorts   the ports a {@link NetworkMode#BRIDGE} workload publishes (see
 *                         {@link #withPublishedPorts}); empty for the other networks
 * @param labels           labels for the workload (container labels; a file next to a process's logs)
 * @param readiness        when {@link WorkloadRuntime#start} may return
 * @param readinessTimeout how long {@link WorkloadRuntime#start} waits for {@code readiness}
 * @param jvmRecording     whether the workload's JVM records itself with JDK Flight Recorder, collected as
 *                         {@link RunningWorkload#jvmRecording()} when it stops (see {@link #withJvmRecording()})
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record WorkloadSpec(
        String name,
        String image,
        List<String> command,
        Map<String, String> env,
        String workingDir,
        List<FileCopy> files,
        OptionalDouble cpuLimit,
        OptionalLong memoryLimitBytes,
        List<String> gpuDevices,
        NetworkMode network,
        List<Integer> publishedPorts,
        Map<String, String> labels,
        Readiness readiness,
        Duration readinessTimeout,
        boolean jvmRecording) {

    /** The smallest CPU limit a CFS quota can express (1 ms per 100 ms period). */
    public static final double MIN_CPU_LIMIT = 0.01;

    /** The smallest memory limit Docker accepts; the same bound holds for processes. */
    public static final long MIN_MEMORY_LIMIT_BYTES = 6L * 1024 * 1024;

    /** Label keys with this prefix are Dyno's own (run id, owner) and cannot be set by a spec. */
    public static final String RESERVED_LABEL_PREFIX = "dev.dyno.";

    /** The readiness timeout when none is given. */
    public static final Duration DEFAULT_READINESS_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    /** What both CUDA_VISIBLE_DEVICES and Docker's device request accept: an index, a GPU UUID, a MIG UUID. */
    private static final Pattern GPU_ID = Pattern.compile("0|[1-9][0-9]{0,3}|GPU-" + UUID + "|MIG-" + UUID
            + "|MIG-GPU-" + UUID + "/[0-9]+/[0-9]+");
    private static final String CUDA_VISIBLE_DEVICES = "CUDA_VISIBLE_DEVICES";

    /**
     * A file or directory on this machine copied to {@code target} (relative to the workload's
     * working directory) before the workload starts.
     *
     * @param source a readable file or directory on this machine
     * @param target a relative path inside the working directory
     */
    public record FileCopy(Path source, String target) {
        public FileCopy {
            Objects.requireNonNull(source, "FileCopy.source");
            if (target == null || target.isBlank() || target.startsWith("/")
                    || Arrays.asList(target.split("/")).contains("..")) {
                throw new InvalidWorkloadSpecException("files", target, "not allowed; the target must be a "
                        + "relative path inside the working directory, without '..', such as 'app/load_test.py'");
            }
        }
    }

    public WorkloadSpec {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(cpuLimit, "cpuLimit");
        Objects.requireNonNull(memoryLimitBytes, "memoryLimitBytes");
        Objects.requireNonNull(labels, "labels");
        gpuDevices = gpuDevices == null ? List.of() : checkGpuDevices(gpuDevices);
        command = List.copyOf(command);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        files = List.copyOf(files);
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        network = network == null ? NetworkMode.HOST : network;
        publishedPorts = publishedPorts == null ? List.of() : List.copyOf(publishedPorts);
        readiness = readiness == null ? Readiness.started() : readiness;
        readinessTimeout = readinessTimeout == null ? DEFAULT_READINESS_TIMEOUT : readinessTimeout;

        if (image != null && (image.isBlank() || image.chars().anyMatch(Character::isWhitespace))) {
            throw new InvalidWorkloadSpecException("image", image, "not allowed; an image reference such as "
                    + "'dyno/jre17-python:local' or 'eclipse-temurin:17-jre'");
        }
        if (image == null && command.isEmpty()) {
            throw new InvalidWorkloadSpecException("command", command, "missing; give a program to run "
                    + "(WorkloadSpec.ofCommand(\"python3\", \"app.py\")) or an image with its own command "
                    + "(WorkloadSpec.ofImage(\"my/image:tag\"))");
        }
        if (!command.isEmpty() && command.get(0).isBlank()) {
            throw new InvalidWorkloadSpecException("command", command, "not allowed; the program (first element) "
                    + "must not be blank");
        }
        if (name == null) {
            name = defaultName(image, command);
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidWorkloadSpecException("name", name, "not allowed; 1 to 40 letters, digits, '_', '.' "
                    + "or '-', starting with a letter or digit");
        }
        for (String key : env.keySet()) {
            if (!ENV_KEY.matcher(key).matches() || env.get(key) == null) {
                throw new InvalidWorkloadSpecException("env", key + "=" + env.get(key), "not allowed; a variable "
                        + "name of letters, digits and '_' (not starting with a digit) and a non-null value");
            }
        }
        if (workingDir != null && (workingDir.isBlank() || !workingDir.startsWith("/"))) {
            throw new InvalidWorkloadSpecException("workingDir", workingDir, "not allowed; an absolute path, "
                    + "or null for the runtime's default");
        }
        if (cpuLimit.isPresent()) {
            checkCpuLimit(cpuLimit.getAsDouble());
        }
        if (memoryLimitBytes.isPresent() && memoryLimitBytes.getAsLong() < MIN_MEMORY_LIMIT_BYTES) {
            throw new InvalidWorkloadSpecException("memoryLimitBytes", memoryLimitBytes.getAsLong(), "not allowed; "
                    + "at least " + MIN_MEMORY_LIMIT_BYTES + " bytes (6 MiB), e.g. 512L << 20 for 512 MiB");
        }
        for (String key : labels.keySet()) {
            if (key.isBlank() || key.startsWith(RESERVED_LABEL_PREFIX) || labels.get(key) == null) {
                throw new InvalidWorkloadSpecException("labels", key + "=" + labels.get(key), "not allowed; a "
                        + "non-blank key not starting with '" + RESERVED_LABEL_PREFIX + "' (reserved for the run id "
                        + "and owner) and a non-null value");
            }
        }
        if (!gpuDevices.isEmpty() && env.containsKey(CUDA_VISIBLE_DEVICES)) {
            throw new InvalidWorkloadSpecException("gpuDevices", gpuDevices, "not allowed together with env "
                    + CUDA_VISIBLE_DEVICES + "=" + env.get(CUDA_VISIBLE_DEVICES) + ": the runtime sets the devices "
                    + "(a container sees its GPUs numbered from 0, so a host index there would name the wrong one); "
                    + "keep gpuDevices and drop the variable");
        }
        if (readinessTimeout.isNegative() || readinessTimeout.isZero()) {
            throw new InvalidWorkloadSpecException("readinessTimeout", readinessTimeout, "not allowed; a positive "
                    + "duration such as Duration.ofSeconds(30)");
        }
        if (readiness instanceof Readiness.Http && network == NetworkMode.NONE) {
            throw new InvalidWorkloadSpecException("readiness", readiness, "not allowed with network NONE: "
                    + "nothing can reach the workload; use NetworkMode.HOST");
        }
        checkPublishedPorts(publishedPorts, network);
        if (readiness instanceof Readiness.Http http && network == NetworkMode.BRIDGE
                && !publishedPorts.contains(http.port())) {
            throw new InvalidWorkloadSpecException("readiness", readiness, "not allowed: port " + http.port()
                    + " is not published, so nothing outside the workload's network can probe it; publish it too "
                    + "(withPublishedPorts(" + http.port() + "))");
        }
    }

    /** A spec that runs {@code command} (a program and its arguments). */
    public static WorkloadSpec ofCommand(String... command) {
        return ofCommand(Arrays.asList(command));
    }

    /** A spec that runs {@code command} (a program and its arguments). */
    public static WorkloadSpec ofCommand(List<String> command) {
        // not command.contains(null): an immutable List.of(...) throws on it instead of answering
        if (command == null || command.isEmpty() || command.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidWorkloadSpecException("command", command, "missing; give a program and its arguments, "
                    + "such as ofCommand(\"python3\", \"app.py\")");
        }
        return new WorkloadSpec(null, null, command, Map.of(), null, List.of(), OptionalDouble.empty(),
                OptionalLong.empty(), List.of(), NetworkMode.HOST, List.of(), Map.of(), null, null, false);
    }

    /**
     * A Java program run by this JVM's own {@code java} on this JVM's class path, such as a
     * service from the {@code workloads} module that a test depends on. The class path exists
     * only on this machine, so such a spec runs on the process runtime.
     *
     * <pre>{@code
     * WorkloadSpec service = WorkloadSpec.ofJavaMain(InferenceService.class, "--port", "8080");
     * }</pre>
     */
    public static WorkloadSpec ofJavaMain(Class<?> mainClass, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return ofCommand(command).withName(mainClass.getSimpleName());
    }

    /** A spec that runs an image's own command (containers only, unless a command is added). */
    public static WorkloadSpec ofImage(String image) {
        if (image == null) {
            throw new InvalidWorkloadSpecException("image", null, "missing; an image reference such as "
                    + "'dyno/jre17-python:local'");
        }
        return new WorkloadSpec(null, image, List.of(), Map.of(), null, List.of(), OptionalDouble.empty(),
                OptionalLong.empty(), List.of(), NetworkMode.HOST, List.of(), Map.of(), null, null, false);
    }

    /** Whether {@code cores} is an acceptable CPU limit; throws naming the field otherwise. */
    static double checkCpuLimit(double cores) {
        if (!(cores >= MIN_CPU_LIMIT) || Double.isInfinite(cores)) {
            throw new InvalidWorkloadSpecException("cpuLimit", cores, "not allowed; expected a positive number of "
                    + "cores, at least " + MIN_CPU_LIMIT + " (e.g. 0.5, 1.5, 2)");
        }
        return cores;
    }

    private static List<String> checkGpuDevices(List<String> ids) {
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (id == null || !GPU_ID.matcher(id).matches()) {
                throw new InvalidWorkloadSpecException("gpuDevices", ids, "not allowed; " + (id == null ? "null"
                        : "'" + id + "'") + " is not a GPU id: give indexes as nvidia-smi numbers the GPUs (\"0\", "
                        + "\"2\") or UUIDs as nvidia-smi -L prints them (\"GPU-5f2b1c3a-9d4e-4f6a-8b7c-0123456789ab\", "
                        + "\"MIG-…\"), one per element");
            }
            if (!seen.add(id)) {
                throw new InvalidWorkloadSpecException("gpuDevices", ids, "not allowed; names GPU " + id + " twice");
            }
        }
        return List.copyOf(ids);
    }

    private static String defaultName(String image, List<String> command) {
        String source;
        if (!command.isEmpty()) {
            String program = command.get(0);
            source = program.substring(program.lastIndexOf('/') + 1);
        } else {
            String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
            int slash = repository.lastIndexOf('/');
            int colon = repository.lastIndexOf(':');
            source = repository.substring(slash + 1, colon > slash ? colon : repository.length());
        }
        String cleaned = source.replaceAll("[^A-Za-z0-9_.-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        cleaned = cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
        return cleaned.isEmpty() ? "workload" : cleaned;
    }

    public WorkloadSpec withName(String name) {
        return new WorkloadSpec(Objects.requireNonNull(name, "name"), image, command, env, workingDir, files,
                cpuLimit, memoryLimitBytes, gpuDevices, network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    public WorkloadSpec withImage(String image) {
        if (image == null) {
            throw new InvalidWorkloadSpecException("image", null, "missing; an image reference such as "
                    + "'dyno/jre17-python:local'");
        }
        return new WorkloadSpec(name, image, command, env, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    /** Replaces the program and its arguments. */
    public WorkloadSpec withCommand(String... command) {
        return new WorkloadSpec(name, image, Arrays.asList(command), env, workingDir, files, cpuLimit,
                memoryLimitBytes, gpuDevices, network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    /** Appends arguments to the command. */
    public WorkloadSpec withArgs(String... args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(Arrays.asList(args));
        return new WorkloadSpec(name, image, all, env, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    public WorkloadSpec withEnv(String key, String value) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put(key, value);
        return new WorkloadSpec(name, image, command, all, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    public WorkloadSpec withEnv(Map<String, String> variables) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putAll(variables);
        return new WorkloadSpec(name, image, command, all, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    /** An absolute working directory: on this machine for processes, inside the container for Docker. */
    public WorkloadSpec withWorkingDir(String workingDir) {
        return new WorkloadSpec(name, image, command, env, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    /** Copies {@code source} to {@code target}, relative to the working directory, before start. */
    public WorkloadSpec withFile(Path source, String target) {
        List<FileCopy> all = new ArrayList<>(files);
        all.add(new FileCopy(source, target));
        return new WorkloadSpec(name, image, command, env, workingDir, all, cpuLimit, memoryLimitBytes, gpuDevices,
                network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    /** Limits the workload to {@code cores} CPUs (fractions allowed, at least {@value #MIN_CPU_LIMIT}). */
    public WorkloadSpec withCpuLimit(double cores) {
        return new WorkloadSpec(name, image, command, env, workingDir, files, OptionalDouble.of(checkCpuLimit(cores)),
                memoryLimitBytes, gpuDevices, network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    public WorkloadSpec withoutCpuLimit() {
        return new WorkloadSpec(name, image, command, env, workingDir, files, OptionalDouble.empty(),
                memoryLimitBytes, gpuDevices, network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    /** Limits the workload's memory to {@code bytes} (at least {@value #MIN_MEMORY_LIMIT_BYTES}). */
    public WorkloadSpec withMemoryLimit(long bytes) {
        return new WorkloadSpec(name, image, command, env, workingDir, files, cpuLimit, OptionalLong.of(bytes),
                gpuDevices, network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    /**
     * Gives the workload these GPUs, by index as {@code nvidia-smi} numbers them ({@code "0"},
     * {@code "2"}) or by UUID ({@code "GPU-5f2b1c3a-…"}); an empty list (the default) gives none.
     * The process runtime sets {@code CUDA_VISIBLE_DEVICES} to them (and
     * {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}, so indexes mean what nvidia-smi says); the Docker
     * runtime asks the engine for them, as {@code docker run --gpus device=0,2} does, and inside
     * the container they are numbered from 0.
     *
     * <pre>{@code
     * WorkloadSpec onTwoGpus = WorkloadSpec.ofCommand("python3", "train.py").withGpuDevices(List.of("0", "2"));
     * }</pre>
     *
     * @since 0.1
     */
    public WorkloadSpec withGpuDevices(List<String> ids) {
        if (ids == null) {
            throw new InvalidWorkloadSpecException("gpuDevices", null, "missing; a list of GPU indexes or UUIDs, "
                    + "or List.of() for no GPU");
        }
        return new WorkloadSpec(name, image, command, env, workingDir, files, cpuLimit, memoryLimitBytes, ids,
                network, publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    public WorkloadSpec withNetwork(NetworkMode network) {
        return new WorkloadSpec(name, image, command, env, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                Objects.requireNonNull(network, "network"), publishedPorts, labels, readiness, readinessTimeout, jvmRecording);
    }

    /**
     * Runs the workload on a network of its own ({@link NetworkMode#BRIDGE}) and publishes these
     * ports of it on the engine's host, each at a port the engine picks;
     * {@link RunningWorkload#endpoint(int)} gives where each one is reached. The service must
     * listen on all of its own addresses ({@code 0.0.0.0}), not only its loopback, since the
     * engine forwards to it from outside. A local engine publishes on {@code 127.0.0.1} only.
     * The process runtime has no network of its own to give: there the workload runs on the
     * host's network, and each port is reached as itself.
     *
     * <pre>{@code
     * WorkloadSpec web = WorkloadSpec.ofCommand("python3", "-m", "http.server", "--bind", "0.0.0.0", "8000")
     *     .withPublishedPorts(8000)
     *     .withReadiness(Readiness.http(URI.create("http://127.0.0.1:8000/")));
     * }</pre>
     *
     * @since 0.2
     */
    public WorkloadSpec withPublishedPorts(int... ports) {
        List<Integer> all = Arrays.stream(ports).boxed().toList();
        return new WorkloadSpec(name, image, command, env, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                NetworkMode.BRIDGE, all, labels, readiness, readinessTimeout, jvmRecording);
    }

    private static void checkPublishedPorts(List<Integer> ports, NetworkMode network) {
        for (Integer port : ports) {
            if (port == null || port < 1 || port > 65_535 || ports.indexOf(port) != ports.lastIndexOf(port)) {
                throw new InvalidWorkloadSpecException("publishedPorts", ports, "not allowed; distinct ports from 1 "
                        + "to 65535, such as withPublishedPorts(8080, 9090)");
            }
        }
        if (!ports.isEmpty() && network != NetworkMode.BRIDGE) {
            throw new InvalidWorkloadSpecException("publishedPorts", ports, "not allowed with network " + network
                    + ": only a workload on a network of its own (NetworkMode.BRIDGE) publishes ports; with HOST its "
                    + "ports are the host's own, with NONE nothing reaches it");
        }
    }

    public WorkloadSpec withLabel(String key, String value) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(key, value);
        return new WorkloadSpec(name, image, command, env, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                network, publishedPorts, all, readiness, readinessTimeout, jvmRecording);
    }

    public WorkloadSpec withReadiness(Readiness readiness) {
        return new WorkloadSpec(name, image, command, env, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                network, publishedPorts, labels, Objects.requireNonNull(readiness, "readiness"), readinessTimeout, jvmRecording);
    }

    /**
     * Records the workload's JVM with JDK Flight Recorder ({@code settings=profile}, every JIT
     * compilation and class load, see {@link JvmRecording#toolOptions}), and collects the file when
     * the workload stops: {@link RunningWorkload#jvmRecording()}. It works for any JVM the command
     * starts, without changing the command: the runtime adds {@code -XX:StartFlightRecording} to
     * {@value JvmRecording#JAVA_TOOL_OPTIONS} (after the spec's own value, if any), for a process
     * as a file next to its logs, for a container in its {@code /tmp}, copied out before the
     * container is removed. The JVM then prints {@code Picked up JAVA_TOOL_OPTIONS: …} on its
     * standard error (never on standard output). A command that starts no JVM gives no recording,
     * and so does a JVM that is killed (SIGKILL) or crashes: {@link JvmRecording#explanation()} says
     * which. Needs a JVM of Java 17 or later (its {@code -XX:StartFlightRecording} takes event settings).
     *
     * <pre>{@code
     * RunningWorkload app = runtime.start(WorkloadSpec.ofCommand("java", "-jar", "app.jar").withJvmRecording());
     * app.awaitExit(Duration.ofMinutes(1));
     * app.stop();
     * Duration jit = app.jvmRecording().summary().orElseThrow().compilationTime();
     * }</pre>
     *
     * @since 0.2
     */
    public WorkloadSpec withJvmRecording() {
        return new WorkloadSpec(name, image, command, env, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                network, publishedPorts, labels, readiness, readinessTimeout, true);
    }

    public WorkloadSpec withReadinessTimeout(Duration timeout) {
        return new WorkloadSpec(name, image, command, env, workingDir, files, cpuLimit, memoryLimitBytes, gpuDevices,
                network, publishedPorts, labels, readiness, Objects.requireNonNull(timeout, "readinessTimeout"), jvmRecording);
    }
}
