package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RuntimeInfo;
import dev.dyno.config.DynoConfiguration;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;
import org.testcontainers.utility.ResourceReaper;

/**
 * Runs workloads as Docker containers, through Testcontainers and docker-java, on whatever engine
 * Testcontainers reaches ({@code DOCKER_HOST}, remote engines included), or spread over several:
 * {@value DynoConfiguration#DOCKER_HOSTS_PROPERTY} lists them ({@code default} for Testcontainers'
 * own, {@code unix://…}, {@code tcp://host:port}, with {@code ?certs=/dir} for TLS), and each start
 * goes to the next engine in turn that can run it. {@link RunningWorkload#where()} says which.
 *
 * <p>Containers are created with a CFS quota ({@code CpuQuota}/{@code CpuPeriod}), so their CPU
 * limit can be changed while they run; on the host's network (services bind a port of the engine's
 * host, reached at the {@link Endpoint} this runtime reports), on none, or on a bridge network of
 * the run's own with published ports; with an init process, so a stop
 * reaches the whole process tree; and with labels naming the run and its owner
 * ({@value #RUN_LABEL}, {@value #OWNER_PID_LABEL}), by which leftovers of a killed JVM are reaped
 * when the next runtime opens. An image that is not present on the engine is pulled, as
 * Testcontainers' default pull policy does (with its image name substitution, within its
 * {@code pull.timeout}); one that can be neither found nor pulled is an error, naming the image,
 * before anything is created.
 *
 * <p>A spec's {@link WorkloadSpec#gpuDevices() GPUs} become a device request on the container
 * (driver {@code nvidia}, those device ids, capabilities {@code [["gpu"]]}), as
 * {@code docker run --gpus device=0,2} makes; inside the container they are numbered from 0. Only
 * an engine with the NVIDIA Container Toolkit can honour it: where {@code docker info} lists no
 * {@code nvidia} runtime (and the default runtime is not NVIDIA's), such a spec is refused before
 * anything is created, and {@link #unsupportedReason} says why.
 *
 * <pre>{@code
 * try (DockerRuntime runtime = DockerRuntime.open()) {
 *     RunningWorkload app = runtime.start(WorkloadSpec.ofCommand("java", "-jar", "app.jar")
 *             .withImage("eclipse-temurin:17-jre")
 *             .withFile(Path.of("target/app.jar"), "app.jar")
 *             .withCpuLimit(0.5)
 *             .withReadiness(Readiness.logLine("Started")));
 *     app.setCpuLimit(1.0);
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class DockerRuntime implements WorkloadRuntime {

    /** The value of {@value Runtimes#RUNTIME_PROPERTY} that selects this runtime. */
    public static final String NAME = "docker";

    /**
     * Configuration parameter naming the image for specs that name none: {@value #DEFAULT_IMAGE}
     * unless set; {@link DynoConfiguration#DOCKER_IMAGE_PROPERTY}.
     */
    public static final String DEFAULT_IMAGE_PROPERTY = DynoConfiguration.DOCKER_IMAGE_PROPERTY;

    /** The image for specs that name none (a Java 17 runtime), pulled where it is not present. */
    public static final String DEFAULT_IMAGE = "eclipse-temurin:17-jre";

    /** Label holding the run id. */
    public static final String RUN_LABEL = "dev.dyno.run";
    /** Label holding the owning JVM's pid. */
    public static final String OWNER_PID_LABEL = "dev.dyno.owner-pid";
    /** Label holding the owning JVM's start time (epoch millis): pids are reused. */
    public static final String OWNER_START_LABEL = "dev.dyno.owner-start";
    /** Label holding the owning JVM's host: a remote engine serves many hosts. */
    public static final String OWNER_HOST_LABEL = "dev.dyno.owner-host";
    /** Label holding the workload's name within its run. */
    public static final String WORKLOAD_LABEL = "dev.dyno.workload";

    private final RunId runId = RunId.generate();
    private final RunOwner owner = RunOwner.current();
    /** The engines, in the order given; starts go to them in turn. */
    private final List<DockerEngine> engines;
    private final AtomicInteger nextEngine = new AtomicInteger();
    private final RunDirectory directory;
    private final List<AbstractWorkload> running = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private final String defaultImage;

    private DockerRuntime(String defaultImage, List<EngineAddress> addresses) {
        this.defaultImage = defaultImage;
        List<DockerEngine> opened = new ArrayList<>();
        try {
            for (EngineAddress address : addresses) {
                if (address.isDefault()) {
                    Runtimes.dockerUnavailableReason().ifPresent(reason -> {
                        throw new RuntimeUnavailableException("the Docker runtime cannot run here: " + reason);
                    });
                    opened.add(DockerEngine.testcontainers());
                } else {
                    opened.add(DockerEngine.at(address));
                }
            }
        } finally {
            opened.forEach(engine -> engine.closeWhenUnreachable(this));
        }
        this.engines = List.copyOf(opened);
        engines.forEach(engine -> Reaper.reapContainers(engine.client));
        this.directory = RunDirectory.create(runId, owner);
        this.shutdownHook = new Thread(this::close, "dyno-docker-runtime-shutdown-" + runId);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Opens a runtime on the engine Testcontainers finds, first removing containers that JVMs
     * which are gone left behind.
     *
     * @throws RuntimeUnavailableException if no engine answers, with the reason
     */
    public static DockerRuntime open() {
        return open(DynoConfiguration.current());
    }

    /**
     * Like {@link #open()}, with {@code configuration}'s {@value #DEFAULT_IMAGE_PROPERTY} for specs
     * that name no image.
     *
     * @throws RuntimeUnavailableException if no engine answers, with the reason
     * @since 0.2
     */
    public static DockerRuntime open(DynoConfiguration configuration) {
        List<EngineAddress> engines;
        try {
            engines = configuration.dockerHosts().map(EngineAddress::parseAll)
                    .orElse(List.of(new EngineAddress(null, Optional.empty(), EngineAddress.DEFAULT)));
        } catch (IllegalArgumentException e) {
            throw new RuntimeUnavailableException(e.getMessage());
        }
        return new DockerRuntime(configuration.dockerImage().orElse(DEFAULT_IMAGE), engines);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RunId runId() {
        return runId;
    }

    @Override
    public CpuLimitMechanism cpuLimitMechanism() {
        return CpuLimitMechanism.DOCKER_QUOTA;
    }

    /** Where this run's container logs are copied on this machine. */
    public Path runDirectory() {
        return directory.path();
    }

    /**
     * The host the first engine's endpoints are on ({@code localhost} for a local engine); a
     * workload's own endpoints say where it is ({@link RunningWorkload#endpoint}).
     */
    public String host() {
        return engines.get(0).host;
    }

    @Override
    public String where() {
        if (engines.size() == 1) {
            return engines.get(0).where();
        }
        return engines.size() + " Docker engines, in turn: "
                + String.join("; ", engines.stream().map(DockerEngine::placement).toList());
    }

    /** The first engine's address: {@code unix:///var/run/docker.sock}, {@code tcp://build-host:2376}. */
    public URI engine() {
        return engines.get(0).uri;
    }

    /**
     * The engines' addresses, in the order starts go to them: Testcontainers' own alone, unless
     * {@value DynoConfiguration#DOCKER_HOSTS_PROPERTY} lists several.
     *
     * @since 0.3
     */
    public List<URI> engines() {
        return engines.stream().map(engine -> engine.uri).toList();
    }

    /**
     * Whether the first engine runs on this machine, so that its containers' CPU, throttling and
     * memory are read from their cgroups here, at once; otherwise from the engine's stats stream,
     * one reading a second. See {@link #reachedThroughSocket}.
     */
    public boolean engineOnThisMachine() {
        return engines.get(0).onThisMachine;
    }

    /**
     * An engine reached through a socket of this machine ({@code unix://}, or a Windows named pipe)
     * runs here. One reached over TCP is treated as remote even at {@code 127.0.0.1}, where it may
     * be a tunnel to another host: its cgroups are not looked for here.
     */
    static boolean reachedThroughSocket(URI engine) {
        return DockerEngine.reachedThroughSocket(engine);
    }

    @Override
    public List<RunningWorkload> workloads() {
        return List.copyOf(running);
    }

    /**
     * Empty when at least one engine can run {@code spec} (starts go only to those); otherwise why
     * not, engine by engine where there are several.
     */
    @Override
    public Optional<String> unsupportedReason(WorkloadSpec spec) {
        Optional<String> hostOnly = hostOnlyReason(spec);
        if (hostOnly.isPresent()) {
            return hostOnly;
        }
        List<String> reasons = new ArrayList<>();
        for (DockerEngine engine : engines) {
            Optional<String> reason = unsupportedReason(engine, spec);
            if (reason.isEmpty()) {
                return Optional.empty();
            }
            reasons.add(engines.size() == 1 ? reason.get() : engine.uri + ": " + reason.get());
        }
        return Optional.of(String.join("; ", reasons));
    }

    private Optional<String> unsupportedReason(DockerEngine engine, WorkloadSpec spec) {
        Optional<String> gpus = gpuReason(engine, spec);
        if (gpus.isPresent()) {
            return Optional.of("WorkloadSpec.gpuDevices = " + spec.gpuDevices() + ": " + gpus.get());
        }
        String image = imageOf(spec);
        return imageProblem(engine, image).map(why -> "WorkloadSpec.image = '" + image + "': " + why);
    }

    /**
     * The engine the next start of {@code spec} goes to: the next in turn, passing over those that
     * cannot run it; the next in turn when none can, so that its start says why.
     */
    private DockerEngine engineFor(WorkloadSpec spec) {
        int first = Math.floorMod(nextEngine.getAndIncrement(), engines.size());
        if (engines.size() == 1) {
            return engines.get(0);
        }
        for (int i = 0; i < engines.size(); i++) {
            DockerEngine engine = engines.get((first + i) % engines.size());
            if (unsupportedReason(engine, spec).isEmpty()) {
                return engine;
            }
        }
        return engines.get(first);
    }

    /**
     * A command that runs this JVM's own {@code java} (as {@link WorkloadSpec#ofJavaMain} makes)
     * names files of this machine, its JDK and its class path, which no container has.
     */
    private static Optional<String> hostOnlyReason(WorkloadSpec spec) {
        String javaHome = System.getProperty("java.home");
        if (!spec.command().isEmpty() && javaHome != null && spec.command().get(0).startsWith(javaHome)) {
            return Optional.of("WorkloadSpec.command = '" + spec.command().get(0) + " …': runs this JVM's own java"
                    + " with this machine's class path (WorkloadSpec.ofJavaMain), which a container does not have;"
                    + " run it on the process runtime, or give an image that contains the program");
        }
        return Optional.empty();
    }

    /** Why the engine cannot give the spec its GPUs, or empty (also when the spec asks for none). */
    private static Optional<String> gpuReason(DockerEngine engine, WorkloadSpec spec) {
        return spec.gpuDevices().isEmpty() ? Optional.empty() : engine.gpuProblem();
    }

    /**
     * Whether the engine can run {@code --gpus} containers, judged from {@code docker info}: it
     * can where the NVIDIA Container Toolkit registered its runtime (as {@code nvidia}, or as the
     * default runtime).
     */
    static Optional<String> nvidiaRuntimeProblem(Map<String, RuntimeInfo> runtimes, Object defaultRuntime) {
        Map<String, RuntimeInfo> known = runtimes == null ? Map.of() : new TreeMap<>(runtimes);
        String defaultName = defaultRuntime == null ? "runc" : String.valueOf(defaultRuntime);
        RuntimeInfo defaultInfo = known.get(defaultName);
        boolean defaultIsNvidia = defaultName.contains("nvidia")
                || (defaultInfo != null && defaultInfo.getPath() != null && defaultInfo.getPath().contains("nvidia"));
        if (known.containsKey("nvidia") || defaultIsNvidia) {
            return Optional.empty();
        }
        return Optional.of("the Docker engine has no NVIDIA runtime (docker info lists the runtimes " + known.keySet()
                + ", default " + defaultName + "), so it cannot give a container GPUs; install the NVIDIA Container "
                + "Toolkit on the engine's host and register it (nvidia-ctk runtime configure --runtime=docker, then "
                + "restart dockerd), or run the workload on the process runtime");
    }

    @Override
    public RunningWorkload start(WorkloadSpec spec) {
        return start(spec, engineFor(spec));
    }

    /** Together, each spec on the engine whose turn it is in the specs' order, as one start after another would be. */
    @Override
    public List<RunningWorkload> startAll(List<WorkloadSpec> specs) {
        List<WorkloadSpec> all = List.copyOf(specs);
        List<DockerEngine> turns = all.stream().map(this::engineFor).toList();
        return ParallelStarts.startAll(this, all, parallelStarts(), i -> start(all.get(i), turns.get(i)));
    }

    private RunningWorkload start(WorkloadSpec spec, DockerEngine engine) {
        if (closed.get()) {
            throw new IllegalStateException("this Docker runtime (run " + runId + ") is closed");
        }
        hostOnlyReason(spec).ifPresent(why -> {
            throw new InvalidWorkloadSpecException("command", spec.command(), why.substring(why.indexOf(": ") + 2));
        });
        DockerClient client = engine.client;
        gpuReason(engine, spec).ifPresent(why -> {
            throw new InvalidWorkloadSpecException("gpuDevices", spec.gpuDevices(), why);
        });
        String image = imageOf(spec);
        imageProblem(engine, image).ifPresent(why -> {
            throw new InvalidWorkloadSpecException("image", image, why);
        });
        String resolvedImage = ImagePull.substituted(image);
        InspectImageResponse inspected = client.inspectImageCmd(resolvedImage).exec();
        ContainerConfig config = inspected.getConfig();
        if (spec.command().isEmpty() && (config == null || (empty(config.getCmd()) && empty(config.getEntrypoint())))) {
            throw new InvalidWorkloadSpecException("command", spec.command(), "missing; image " + image + " has no "
                    + "CMD or ENTRYPOINT of its own, so the spec must give a command");
        }
        StartChecks.filesReadable(spec);
        String workDir = spec.workingDir() != null ? spec.workingDir()
                : config != null && config.getWorkingDir() != null && !config.getWorkingDir().isBlank()
                        ? config.getWorkingDir() : "/";

        String name = "w" + sequence.incrementAndGet() + "-" + spec.name();
        String containerName = ("dyno-" + runId.value() + "-" + name).replaceAll("[^A-Za-z0-9_.-]", "-");
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.putAll(ownerLabels());
        labels.put(WORKLOAD_LABEL, name);

        CreateContainerCmd create = client.createContainerCmd(resolvedImage).withName(containerName);
        if (!spec.command().isEmpty()) {
            create.withCmd(spec.command());
        }
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        if (spec.jvmRecording()) {
            // the container's /tmp: writable whoever the image runs as; copied out before the container is removed
            env.put(JvmRecording.JAVA_TOOL_OPTIONS, JvmRecording.toolOptions(spec.env().getOrDefault(
                    JvmRecording.JAVA_TOOL_OPTIONS, imageEnv(config, JvmRecording.JAVA_TOOL_OPTIONS)),
                    DockerWorkload.JVM_RECORDING_IN_CONTAINER));
        }
        env.put(ProcessTree.RUN_ID_ENV, runId.value());
        env.put(ProcessTree.WORKLOAD_ENV, name);
        create.withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        if (engine.testcontainers) {
            // Testcontainers' session labels: its reaper (Ryuk, where enabled) removes these if this JVM is killed
            Map<String, String> withSession = new LinkedHashMap<>(ResourceReaper.instance().getLabels());
            withSession.putAll(labels);
            labels = withSession;
        }
        create.withLabels(labels);
        if (spec.workingDir() != null) {
            create.withWorkingDir(spec.workingDir());
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (WorkloadSpec.FileCopy file : spec.files()) {
            files.put((workDir.endsWith("/") ? workDir : workDir + "/") + file.target(), file.source());
        }
        HostConfig hostConfig = hostConfig(spec, HostConfig.newHostConfig()).withNetworkMode(switch (spec.network()) {
            case HOST -> "host";
            case NONE -> "none";
            case BRIDGE -> engine.bridgeNetwork("dyno-" + runId.value(), ownerLabels());
        });
        create.withHostConfig(publish(spec, engine.publishAddress, hostConfig))
                .withExposedPorts(spec.publishedPorts().stream().map(ExposedPort::tcp).toList());

        DockerWorkload workload = new DockerWorkload(spec, name, runId, directory.workloadDir(name), engine, create, files,
                running::remove);
        running.add(workload);
        boolean programFound;
        try {
            programFound = workload.launch();
        } catch (RuntimeException e) {
            workload.kill();
            String why = DockerEngine.rootMessage(e);
            if (!spec.command().isEmpty() && why.contains(spec.command().get(0))
                    && (why.contains("executable file not found") || why.contains("no such file or directory"))) {
                throw new InvalidWorkloadSpecException("command", spec.command(), "the program '" + spec.command().get(0)
                        + "' was not found in image " + image + " (" + why + ")");
            }
            throw new WorkloadException("could not start workload '" + name + "' from image " + image + " on "
                    + engine.uri + ": " + why, e);
        }
        if (!programFound) {
            String why = workload.stderr().strip();
            workload.kill();
            throw new InvalidWorkloadSpecException("command", spec.command(), "the program '" + spec.command().get(0)
                    + "' was not found in image " + image + " (" + why + ")");
        }
        return workload.readyOrKilled();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            try {
                AbstractWorkload.stopAll(running);
            } finally {
                engines.forEach(DockerEngine::removeBridgeNetwork);
            }
        } finally {
            directory.markClosed();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down: this is the hook running
            }
        }
    }

    /**
     * Adds what {@code spec} asks of the host to {@code hostConfig} (which Testcontainers has
     * filled with the network, labels and copies): an init process, a CFS quota, memory, GPUs.
     */
    static HostConfig hostConfig(WorkloadSpec spec, HostConfig hostConfig) {
        hostConfig.withInit(true).withCpuPeriod(WorkloadCgroup.PERIOD_MICROS);
        spec.cpuLimit().ifPresent(cores -> hostConfig.withCpuQuota(quotaOf(cores)));
        spec.memoryLimitBytes().ifPresent(bytes -> hostConfig.withMemory(bytes).withMemorySwap(bytes));
        if (!spec.gpuDevices().isEmpty()) {
            // docker run --gpus device=0,2, with the driver named as Compose's deploy.resources.devices does
            hostConfig.withDeviceRequests(List.of(new DeviceRequest()
                    .withDriver("nvidia")
                    .withDeviceIds(spec.gpuDevices())
                    .withCapabilities(List.of(List.of("gpu")))));
        }
        return hostConfig;
    }

    /**
     * The spec's published ports, each at a port the engine picks on {@code address}
     * ({@code docker run -p 127.0.0.1::8000}).
     */
    static HostConfig publish(WorkloadSpec spec, String address, HostConfig hostConfig) {
        if (spec.publishedPorts().isEmpty()) {
            return hostConfig;
        }
        Ports bindings = new Ports();
        for (int port : spec.publishedPorts()) {
            bindings.bind(ExposedPort.tcp(port), Ports.Binding.bindIp(address));
        }
        return hostConfig.withPortBindings(bindings);
    }

    /** The networks labelled with this run's id that exist now, by name: a leak check's second half. */
    public List<String> labelledNetworks() {
        return engines.stream().flatMap(engine -> engine.networksLabelled(RUN_LABEL, runId.value()).stream()).toList();
    }

    private Map<String, String> ownerLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RUN_LABEL, runId.value());
        labels.put(OWNER_PID_LABEL, String.valueOf(owner.pid()));
        labels.put(OWNER_START_LABEL, String.valueOf(owner.startMillis()));
        labels.put(OWNER_HOST_LABEL, owner.host());
        return labels;
    }

    /**
     * The containers labelled with this run's id that exist now, as {@code "id name (state)"}:
     * workloads' containers not yet removed, and any other container given the run's label.
     * Answers after {@link #close()} too, so a leak check can ask what teardown left.
     *
     * @param runningOnly only those that run
     */
    public List<String> labelledContainers(boolean runningOnly) {
        return engines.stream().flatMap(engine -> engine.client.listContainersCmd().withShowAll(!runningOnly)
                .withLabelFilter(Map.of(RUN_LABEL, runId.value())).exec().stream()).map(DockerRuntime::describe).toList();
    }

    /** Force-removes every container labelled with this run's id, such as ones a leak check found; returns how many. */
    public int removeLabelledContainers() {
        int removed = 0;
        for (DockerEngine engine : engines) {
            for (Container container : engine.client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(RUN_LABEL, runId.value())).exec()) {
                try {
                    engine.client.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                    removed++;
                } catch (NotFoundException e) {
                    // removed meanwhile
                }
            }
        }
        return removed;
    }

    private static String describe(Container container) {
        String id = container.getId().length() > 12 ? container.getId().substring(0, 12) : container.getId();
        String[] names = container.getNames();
        String name = names == null || names.length == 0 ? "?" : names[0].replaceFirst("^/", "");
        return id + " " + name + " (" + container.getState() + ")";
    }

    static long quotaOf(double cores) {
        return Math.max(1_000, Math.round(cores * WorkloadCgroup.PERIOD_MICROS));
    }

    private String imageOf(WorkloadSpec spec) {
        return spec.image() != null ? spec.image() : defaultImage;
    }

    /**
     * Why {@code image} cannot be had, or empty once it is present: pulled where it is missing (once
     * per runtime; a failed pull is not retried by the same runtime).
     */
    private static Optional<String> imageProblem(DockerEngine engine, String image) {
        return engine.imageProblem(image, name -> {
            String resolved = ImagePull.substituted(name);
            return ImagePull.ensurePresent(engine.client, resolved, ImagePull.stallLimit(), ImagePull.limit())
                    .map(why -> missingImage(name, resolved, why));
        });
    }

    /** What to do about an image that is neither present nor pullable. */
    static String missingImage(String image, String resolved, String why) {
        String named = resolved.equals(image) ? image
                : resolved + " (" + image + " after Testcontainers' image name substitution)";
        return "image " + named + " is not present on the Docker engine and pulling it failed: " + why + "; pull it "
                + "with `docker pull " + resolved + "`, or build or load it, or name another image (WorkloadSpec.image, or "
                + DEFAULT_IMAGE_PROPERTY + " for specs that name none)";
    }

    /** A variable the image sets ({@code ENV} in its Dockerfile), which a container's own value would replace. */
    private static String imageEnv(ContainerConfig config, String variable) {
        if (config == null || config.getEnv() == null) {
            return null;
        }
        for (String entry : config.getEnv()) {
            if (entry.startsWith(variable + "=")) {
                return entry.substring(variable.length() + 1);
            }
        }
        return null;
    }

    private static boolean empty(String[] values) {
        return values == null || values.length == 0;
    }

    @Override
    public String toString() {
        return "DockerRuntime[run " + runId + ", engines " + engines + "]";
    }
}
