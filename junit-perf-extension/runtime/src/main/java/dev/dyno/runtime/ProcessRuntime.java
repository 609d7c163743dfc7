package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.config.DynoConfiguration;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Runs workloads as processes on this machine: the embedded default, needing nothing but Linux.
 *
 * <p>Each workload gets its own cgroup ({@code <cgroup>/dyno/<runId>/<workload>}), cgroup v1 or
 * v2 as the machine has, with its CPU quota and memory limit; the process joins it through a
 * tiny shell wrapper before it runs a single instruction of the workload. Where no cgroup is
 * writable, the CPU limit falls back to CPU affinity ({@code taskset}, whole CPUs) and
 * {@link #cpuLimitMechanism()} says so. Every process carries the run id in its environment
 * ({@code DYNO_RUN_ID}) and has a pid file under {@code ${java.io.tmpdir}/dyno-<uid>/runs/<runId>/},
 * so a later run can reap what a killed JVM left. A spec's {@link WorkloadSpec#gpuDevices() GPUs}
 * become the program's {@code CUDA_VISIBLE_DEVICES} (replacing an inherited one), with
 * {@code CUDA_DEVICE_ORDER=PCI_BUS_ID} unless the spec sets an order, so that an index means
 * the GPU nvidia-smi shows under it.
 *
 * <pre>{@code
 * try (ProcessRuntime runtime = ProcessRuntime.open()) {
 *     RunningWorkload server = runtime.start(
 *             WorkloadSpec.ofCommand("python3", "-m", "http.server", "--bind", "127.0.0.1", "8000")
 *                     .withCpuLimit(0.5)
 *                     .withReadiness(Readiness.http(URI.create("http://127.0.0.1:8000/"))));
 *     URI uri = server.endpoint(8000).uri("http", "/");
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ProcessRuntime implements WorkloadRuntime {

    /** The value of {@value Runtimes#RUNTIME_PROPERTY} that selects this runtime. */
    public static final String NAME = "process";

    /**
     * Configuration parameter forcing the CPU limit mechanism: {@code cgroup} or {@code affinity}
     * (default: a cgroup where one is writable, else affinity);
     * {@link DynoConfiguration#PROCESS_CPU_LIMIT_PROPERTY}.
     */
    public static final String CPU_LIMIT_PROPERTY = DynoConfiguration.PROCESS_CPU_LIMIT_PROPERTY;

    /** Joins the cgroups named before {@code --}, then becomes the workload (same pid, nothing forked). */
    private static final String JOIN_CGROUP_SCRIPT = "while [ \"$1\" != -- ]; do "
            + "echo $$ > \"$1\" || { echo \"dyno: cannot join cgroup $1\" >&2; exit 125; }; shift; done; "
            + "shift; exec \"$@\"";

    /** Brings the loopback of a fresh network namespace up when {@code ip} exists, then becomes the workload. */
    private static final String LOOPBACK_UP_SCRIPT = "ip link set lo up 2>/dev/null; exec \"$@\"";

    /** Where a spec's {@link WorkloadSpec#gpuDevices()} go: the devices CUDA lets the program see. */
    static final String CUDA_VISIBLE_DEVICES = "CUDA_VISIBLE_DEVICES";
    static final String CUDA_DEVICE_ORDER = "CUDA_DEVICE_ORDER";

    /** How long start waits for the wrapper to have joined the cgroup (it takes microseconds). */
    private static final long JOIN_TIMEOUT_MILLIS = 2_000;

    private final RunId runId = RunId.generate();
    private final RunOwner owner = RunOwner.current();
    private final Optional<CgroupHierarchy> cgroups;
    private final CpuLimitMechanism mechanism;
    private final RunDirectory directory;
    private final List<AbstractWorkload> running = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private volatile Boolean networkNamespaces;

    private ProcessRuntime(CpuLimitMechanism preferred) {
        Optional<CgroupHierarchy> detected = preferred == CpuLimitMechanism.AFFINITY
                ? Optional.empty() : CgroupHierarchy.detect();
        if ((preferred == CpuLimitMechanism.CGROUP_V1 || preferred == CpuLimitMechanism.CGROUP_V2)
                && detected.map(CgroupHierarchy::mechanism).filter(preferred::equals).isEmpty()) {
            throw new RuntimeUnavailableException("the process runtime was asked for " + preferred + " CPU limits, but "
                    + detected.map(h -> "this machine has " + h.mechanism()).orElse("no cgroup is writable here"));
        }
        this.cgroups = detected;
        this.mechanism = detected.map(CgroupHierarchy::mechanism)
                .orElseGet(() -> Affinity.available() ? CpuLimitMechanism.AFFINITY : CpuLimitMechanism.NONE);
        Reaper.reapProcesses(cgroups);
        this.directory = RunDirectory.create(runId, owner);
        this.shutdownHook = new Thread(this::close, "dyno-process-runtime-shutdown-" + runId);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Opens a runtime, first reaping what killed JVMs left behind. The CPU limit mechanism is a
     * cgroup where one is writable, else affinity, unless {@value #CPU_LIMIT_PROPERTY} in
     * {@link DynoConfiguration#current()} says otherwise.
     */
    public static ProcessRuntime open() {
        return open(DynoConfiguration.current());
    }

    /**
     * Opens a runtime that limits CPU as {@code configuration}'s {@value #CPU_LIMIT_PROPERTY} says.
     *
     * @since 0.2
     */
    public static ProcessRuntime open(DynoConfiguration configuration) {
        switch (configuration.processCpuLimit()) {
            case "affinity":
                return new ProcessRuntime(CpuLimitMechanism.AFFINITY);
            case "cgroup":
                ProcessRuntime runtime = new ProcessRuntime(null);
                if (runtime.mechanism != CpuLimitMechanism.CGROUP_V1 && runtime.mechanism != CpuLimitMechanism.CGROUP_V2) {
                    runtime.close();
                    throw new RuntimeUnavailableException(CPU_LIMIT_PROPERTY + " = \"cgroup\", but no cgroup is writable here");
                }
                return runtime;
            default: // auto
                return new ProcessRuntime(null);
        }
    }

    /** Opens a runtime that limits CPU with {@code mechanism} (a cgroup version, or AFFINITY). */
    public static ProcessRuntime open(CpuLimitMechanism mechanism) {
        if (mechanism != CpuLimitMechanism.AFFINITY && mechanism != CpuLimitMechanism.CGROUP_V1
                && mechanism != CpuLimitMechanism.CGROUP_V2) {
            throw new IllegalArgumentException("mechanism = " + mechanism + ": not allowed; the process runtime limits "
                    + "CPU with CGROUP_V1, CGROUP_V2 or AFFINITY");
        }
        return new ProcessRuntime(mechanism);
    }

    @Override
    public String where() {
        return "processes on this machine";
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
        return mechanism;
    }

    /** Where this run's logs and pid files are. */
    public Path runDirectory() {
        return directory.path();
    }

    @Override
    public List<RunningWorkload> workloads() {
        return List.copyOf(running);
    }

    @Override
    public Optional<String> unsupportedReason(WorkloadSpec spec) {
        return problemWith(spec).map(RuntimeException::getMessage);
    }

    private Optional<InvalidWorkloadSpecException> problemWith(WorkloadSpec spec) {
        if (spec.command().isEmpty()) {
            return Optional.of(new InvalidWorkloadSpecException("command", spec.command(), "missing; the process "
                    + "runtime runs commands on this machine and cannot run image '" + spec.image() + "' by itself; "
                    + "give a command, or use the Docker runtime"));
        }
        if (spec.cpuLimit().isPresent() && mechanism == CpuLimitMechanism.NONE) {
            return Optional.of(new InvalidWorkloadSpecException("cpuLimit", spec.cpuLimit().getAsDouble(), "cannot be "
                    + "enforced here: no cgroup is writable and taskset is missing"));
        }
        if (spec.memoryLimitBytes().isPresent() && !cgroups.map(CgroupHierarchy::hasMemoryController).orElse(false)) {
            return Optional.of(new InvalidWorkloadSpecException("memoryLimitBytes", spec.memoryLimitBytes().getAsLong(),
                    "cannot be enforced here: no writable memory cgroup; use the Docker runtime or drop the limit"));
        }
        if (spec.network() == NetworkMode.NONE && !networkNamespacesWork()) {
            return Optional.of(new InvalidWorkloadSpecException("network", spec.network(), "cannot be honoured here: "
                    + "'unshare --net' does not work (it needs root or user namespaces); use NetworkMode.HOST or the "
                    + "Docker runtime"));
        }
        return Optional.empty();
    }

    @Override
    public RunningWorkload start(WorkloadSpec spec) {
        if (closed.get()) {
            throw new IllegalStateException("this process runtime (run " + runId + ") is closed");
        }
        Optional<InvalidWorkloadSpecException> problem = problemWith(spec);
        if (problem.isPresent()) {
            throw problem.get();
        }
        StartChecks.filesReadable(spec);
        if (spec.workingDir() != null && !Files.isDirectory(Path.of(spec.workingDir()))) {
            throw new InvalidWorkloadSpecException("workingDir", spec.workingDir(), "not a directory on this machine");
        }
        String program = spec.command().get(0);
        String name = "w" + sequence.incrementAndGet() + "-" + spec.name();
        Path workloadDir = directory.workloadDir(name);
        Path ownWorkDir = spec.workingDir() == null ? workloadDir.resolve("work") : null;
        Path workDir = ownWorkDir != null ? ownWorkDir : Path.of(spec.workingDir());
        checkProgram(spec, program, workDir);

        WorkloadCgroup cgroup = null;
        Process process = null;
        try {
            Files.createDirectories(workDir);
            copyFiles(spec, workDir);
            writeLabels(spec, workloadDir);
            List<String> command = new ArrayList<>();
            if (cgroups.isPresent()) {
                cgroup = cgroups.get().create(runId, name);
                cgroup.setCpuLimit(spec.cpuLimit());
                if (spec.memoryLimitBytes().isPresent()) {
                    cgroup.setMemoryLimit(spec.memoryLimitBytes().getAsLong());
                }
                command.addAll(List.of("sh", "-c", JOIN_CGROUP_SCRIPT, "dyno-join-cgroup"));
                command.addAll(cgroup.procsFiles());
                command.add("--");
            } else if (mechanism == CpuLimitMechanism.AFFINITY && spec.cpuLimit().isPresent()) {
                command.addAll(Affinity.prefix(Affinity.cpusFor(spec.cpuLimit().getAsDouble())));
            }
            if (spec.network() == NetworkMode.NONE) {
                // a new network namespace has only a loopback, and that one down: bring it up, as Docker does
                command.addAll(List.of("unshare", "--net", "sh", "-c", LOOPBACK_UP_SCRIPT, "dyno-network-none"));
            }
            command.addAll(spec.command());
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
            Map<String, String> env = builder.environment();
            env.putAll(spec.env());
            if (!spec.gpuDevices().isEmpty()) {
                // replaces whatever this JVM inherited; PCI order makes an index mean what nvidia-smi
                // (and Docker's device request) mean by it, unless the spec orders them itself
                env.put(CUDA_VISIBLE_DEVICES, String.join(",", spec.gpuDevices()));
                if (!spec.env().containsKey(CUDA_DEVICE_ORDER)) {
                    env.put(CUDA_DEVICE_ORDER, "PCI_BUS_ID");
                }
            }
            if (spec.jvmRecording()) {
                // after the spec's (or the inherited) options, so that they still apply
                env.put(JvmRecording.JAVA_TOOL_OPTIONS, JvmRecording.toolOptions(env.get(JvmRecording.JAVA_TOOL_OPTIONS),
                        workloadDir.resolve(JvmRecording.FILE_NAME).toString()));
            }
            env.put(ProcessTree.RUN_ID_ENV, runId.value());
            env.put(ProcessTree.OWNER_ENV, owner.toString());
            env.put(ProcessTree.WORKLOAD_ENV, name);
            process = builder.start();
            if (cgroup != null) {
                awaitJoined(process, cgroup);
            }
            LocalProcessWorkload workload = new LocalProcessWorkload(spec, name, runId, workloadDir, ownWorkDir,
                    process, cgroup, mechanism, running::remove);
            running.add(workload);
            return workload.readyOrKilled();
        } catch (IOException e) {
            if (process != null) {
                ProcessTree.signal(ProcessTree.treeOf(process.toHandle()), true);
            }
            if (cgroup != null) {
                cgroup.remove();
            }
            throw new WorkloadException("could not start workload '" + name + "' (" + String.join(" ", spec.command())
                    + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            AbstractWorkload.stopAll(running);
        } finally {
            cgroups.ifPresent(h -> h.removeRun(runId));
            directory.markClosed();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down: this is the hook running
            }
        }
    }

    /** So that start returns a workload whose samples and limits already apply to it. */
    private static void awaitJoined(Process process, WorkloadCgroup cgroup) {
        long deadline = System.nanoTime() + JOIN_TIMEOUT_MILLIS * 1_000_000;
        while (process.isAlive() && !cgroup.members().contains(process.pid()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            WorkloadCgroup.sleepQuietly(1);
        }
    }

    private boolean networkNamespacesWork() {
        Boolean works = networkNamespaces;
        if (works == null) {
            try {
                Process probe = new ProcessBuilder("unshare", "--net", "true").redirectErrorStream(true).start();
                probe.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                works = probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0;
            } catch (IOException e) {
                works = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                works = false;
            }
            networkNamespaces = works;
        }
        return works;
    }

    private static void checkProgram(WorkloadSpec spec, String program, Path workDir) {
        if (program.contains("/")) {
            Path path = workDir.resolve(program);
            boolean copiedIn = spec.files().stream().anyMatch(f -> workDir.resolve(f.target()).normalize()
                    .equals(path.normalize()));
            if (!copiedIn && !Files.isExecutable(path)) {
                throw new InvalidWorkloadSpecException("command", spec.command(), "the program '" + program
                        + "' is not an executable file");
            }
            return;
        }
        String pathVariable = spec.env().getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        throw new InvalidWorkloadSpecException("command", spec.command(), "the program '" + program
                + "' was not found on the PATH (" + pathVariable + ")");
    }

    private static void copyFiles(WorkloadSpec spec, Path workDir) throws IOException {
        for (WorkloadSpec.FileCopy file : spec.files()) {
            Path target = workDir.resolve(file.target()).normalize();
            Files.createDirectories(target.getParent());
            if (Files.isDirectory(file.source())) {
                try (Stream<Path> tree = Files.walk(file.source())) {
                    for (Path source : (Iterable<Path>) tree::iterator) {
                        Path destination = target.resolve(file.source().relativize(source).toString());
                        if (Files.isDirectory(source)) {
                            Files.createDirectories(destination);
                        } else {
                            Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING,
                                    StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                }
            } else {
                Files.copy(file.source(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void writeLabels(WorkloadSpec spec, Path workloadDir) {
        if (spec.labels().isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        spec.labels().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        try {
            Files.writeString(workloadDir.resolve("labels"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "ProcessRuntime[run " + runId + ", " + mechanism + "]";
    }
}
