package dev.dyno.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.TopContainerResponse;
import com.github.dockerjava.api.command.UpdateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Statistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.testcontainers.containers.output.FrameConsumerResultCallback;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.utility.LogUtils;

/**
 * A workload that is a Docker container, made, started, read and removed through its engine's
 * docker-java client (and Testcontainers' log following), so that it works the same on every
 * engine of a run, not only the one Testcontainers' own client reaches.
 */
final class DockerWorkload extends AbstractWorkload {

    private static final int STOP_GRACE_SECONDS = 2;

    /** One thread for every container's engine record of its CPU limit: in the order the limits were set. */
    private static final java.util.concurrent.ExecutorService ENGINE_RECORDS =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "dyno-docker-cpu-records");
                thread.setDaemon(true);
                return thread;
            });

    /** Where a container's JVM writes its recording: {@code /tmp} is writable for any user the image runs as. */
    static final String JVM_RECORDING_IN_CONTAINER = "/tmp/dyno-" + JvmRecording.FILE_NAME;

    private final DockerClient client;
    private final DockerEngine engine;
    /** The container as it is to be created; {@link #launch()} creates it. */
    private final CreateContainerCmd create;
    /** Files copied in before the start: each source at its absolute path in the container. */
    private final Map<String, Path> files;
    private volatile String containerId;
    private final String host;
    private volatile OptionalDouble cpuLimit;
    private volatile Integer exitCode;
    private volatile Instant startedAt;
    /** The container's cgroup as seen from this machine, when readable: counters without the engine's ~1 s stats call. */
    private volatile WorkloadCgroup hostCgroup;
    /** Whether the engine runs on this machine, so its containers' cgroups may be read here. */
    private final boolean engineOnThisMachine;
    private volatile Map<Integer, Integer> publishedPorts = Map.of();
    /** The engine's stats stream, followed where the cgroup is not readable here (a remote engine). */
    private volatile EngineStats engineStats;
    private final java.util.concurrent.atomic.AtomicBoolean followEnded = new java.util.concurrent.atomic.AtomicBoolean();

    DockerWorkload(WorkloadSpec spec, String name, RunId runId, Path logDir, DockerEngine engine, CreateContainerCmd create,
            Map<String, Path> files, Consumer<AbstractWorkload> whenStopped) {
        super(spec, name, runId, logDir, whenStopped);
        this.engine = engine;
        this.engineOnThisMachine = engine.onThisMachine;
        this.client = engine.client;
        this.host = engine.host;
        this.create = create;
        this.files = Map.copyOf(files);
        this.cpuLimit = spec.cpuLimit();
    }

    /** The engine it runs on, as the report names it. */
    @Override
    public String where() {
        return engine.where();
    }

    /** Testcontainers hands over one line per frame, then END when the container's log stream closes. */
    private void accept(OutputFrame frame) {
        switch (frame.getType()) {
            case STDOUT -> output.line(OutputCapture.Stream.STDOUT, frame.getUtf8StringWithoutLineEnding());
            case STDERR -> output.line(OutputCapture.Stream.STDERR, frame.getUtf8StringWithoutLineEnding());
            case END -> {
                // Once per stream type, on the thread that read the stream: the second is a no-op.
                if (followEnded.compareAndSet(false, true)) {
                    Thread reader = new Thread(this::completeOutput, "dyno-" + name + "-logs");
                    reader.setDaemon(true);
                    reader.start();
                }
            }
        }
    }

    /**
     * A followed log stream can end before it delivered every line: Docker 20.10 closes it as the
     * container exits, and on a busy machine 30 000 lines once stopped at 7 045. So the whole log
     * is read once more, without following, and the lines the stream missed are added before the
     * output counts as complete.
     */
    private void completeOutput() {
        String id = containerId;
        long[] skip = {output.lineCount(OutputCapture.Stream.STDOUT), output.lineCount(OutputCapture.Stream.STDERR)};
        if (id != null) {
            FrameConsumerResultCallback callback = new FrameConsumerResultCallback();
            callback.addConsumer(OutputFrame.OutputType.STDOUT, frame -> missed(frame, OutputCapture.Stream.STDOUT, skip, 0));
            callback.addConsumer(OutputFrame.OutputType.STDERR, frame -> missed(frame, OutputCapture.Stream.STDERR, skip, 1));
            try (FrameConsumerResultCallback reading = client.logContainerCmd(id).withStdOut(true).withStdErr(true)
                    .withFollowStream(false).withSince(0).exec(callback)) {
                reading.awaitCompletion(10, TimeUnit.SECONDS);
            } catch (RuntimeException | IOException e) {
                // the container is gone already: what the stream delivered is all there is
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        output.ended(OutputCapture.Stream.STDOUT);
        output.ended(OutputCapture.Stream.STDERR);
    }

    private void missed(OutputFrame frame, OutputCapture.Stream stream, long[] skip, int index) {
        if (frame.getType() == OutputFrame.OutputType.END) {
            return;
        }
        if (skip[index] > 0) {
            skip[index]--;
            return;
        }
        output.line(stream, frame.getUtf8StringWithoutLineEnding());
    }

    /**
     * Starts the container and returns once the workload's program runs (not just the init
     * process in front of it), or once the container has exited.
     *
     * @return false if the program could not be executed (the init process reported it and exited)
     */
    boolean launch() {
        String id = create.exec().getId();
        containerId = id;
        copyFilesIn(id);
        client.startContainerCmd(id).exec();
        // the engine keeps the whole log: following from here still delivers what the program printed at once
        LogUtils.followOutput(client, id, this::accept);
        InspectContainerResponse info = client.inspectContainerCmd(id).exec();
        InspectContainerResponse.ContainerState state = info.getState();
        publishedPorts = publishedPorts(info);
        startedAt = EngineStats.parseTime(state.getStartedAt()).orElseGet(Instant::now);
        hostCgroup = engineOnThisMachine ? findHostCgroup(id()).orElse(null) : null;
        if (hostCgroup == null) {
            engineStats = EngineStats.follow(client, id(), startedAt);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && mainRunning() && !programRuns()) {
            WorkloadCgroup.sleepQuietly(5);
        }
        if (mainRunning() || exitCode == null || exitCode != 127 || spec.command().isEmpty()) {
            return true;
        }
        output.awaitDrained(2_000);
        return !stderr().contains("exec " + spec.command().get(0) + " failed");
    }

    /**
     * Whether a process other than the init process (docker-init, tini) runs in the container: from
     * the container's cgroup and {@code /proc} where the engine runs here (a file read), else by
     * asking the engine ({@code docker top}, 40–60 ms a call, a fifth of a start).
     */
    private boolean programRuns() {
        WorkloadCgroup cgroup = hostCgroup;
        if (cgroup != null && !cgroup.dirs().isEmpty()) {
            for (long pid : WorkloadCgroup.membersOf(cgroup.dirs().get(0))) {
                try {
                    String name = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
                    if (!name.equals("docker-init") && !name.equals("tini")) {
                        return true;
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
            return false;
        }
        try {
            TopContainerResponse top = client.topContainerCmd(id()).exec();
            int cmd = java.util.Arrays.asList(top.getTitles()).indexOf("CMD");
            for (String[] process : top.getProcesses()) {
                String command = process[cmd < 0 ? process.length - 1 : cmd];
                if (!command.contains("docker-init") && !command.contains("tini")) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false; // not running any more: the caller sees that
        }
    }

    /**
     * Copies the spec's files in, as one tar archive extracted at {@code /}: a directory with its
     * whole tree, each file with its mode, so a script stays executable. The archive is written to
     * a temporary file first, since a class path copied in can be tens of megabytes.
     */
    private void copyFilesIn(String id) {
        if (files.isEmpty()) {
            return;
        }
        Path archive = null;
        try {
            archive = Files.createTempFile("dyno-copy-", ".tar");
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Map.Entry<String, Path> file : new TreeMap<>(files).entrySet()) {
                    addToArchive(tar, file.getValue(), file.getKey().replaceFirst("^/+", ""));
                }
            }
            try (java.io.InputStream in = Files.newInputStream(archive)) {
                client.copyArchiveToContainerCmd(id).withTarInputStream(in).withRemotePath("/").exec();
            }
        } catch (IOException e) {
            throw new WorkloadException("could not copy the files of workload '" + name + "' into its container: " + e, e);
        } finally {
            if (archive != null) {
                try {
                    Files.deleteIfExists(archive);
                } catch (IOException e) {
                    archive.toFile().deleteOnExit();
                }
            }
        }
    }

    private static void addToArchive(TarArchiveOutputStream tar, Path source, String name) throws IOException {
        if (Files.isDirectory(source)) {
            TarArchiveEntry directory = new TarArchiveEntry(source, name + "/");
            directory.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
            tar.putArchiveEntry(directory);
            tar.closeArchiveEntry();
            try (java.util.stream.Stream<Path> children = Files.list(source)) {
                for (Path child : children.sorted().toList()) {
                    addToArchive(tar, child, name + "/" + child.getFileName());
                }
            }
            return;
        }
        TarArchiveEntry file = new TarArchiveEntry(source, name);
        file.setMode(fileMode(source)); // as on this machine, so a script stays executable
        tar.putArchiveEntry(file);
        Files.copy(source, tar);
        tar.closeArchiveEntry();
    }

    /** A regular file's tar mode from its POSIX permissions here; 0644 where the file system has none. */
    private static int fileMode(Path source) throws IOException {
        int permissions = 0;
        try {
            for (java.nio.file.attribute.PosixFilePermission p : Files.getPosixFilePermissions(source)) {
                permissions |= 1 << (8 - p.ordinal()); // OWNER_READ is 0400, …, OTHERS_EXECUTE 0001
            }
        } catch (UnsupportedOperationException e) {
            permissions = 0644;
        }
        return TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | permissions;
    }

    @Override
    public String id() {
        String id = containerId;
        return id == null ? "(not created)" : id;
    }

    @Override
    public Endpoint endpoint(int port) {
        if (spec.network() == NetworkMode.NONE) {
            throw new IllegalStateException("workload '" + name + "' runs with network NONE: it has no endpoints");
        }
        if (spec.network() == NetworkMode.BRIDGE) {
            Integer hostPort = publishedPorts.get(port);
            if (hostPort == null) {
                throw new IllegalStateException("workload '" + name + "' publishes " + (publishedPorts.isEmpty()
                        ? "no port (it has not started)" : "ports " + publishedPorts.keySet()) + ", not " + port
                        + ": add it to WorkloadSpec.withPublishedPorts");
            }
            return new Endpoint(host, hostPort);
        }
        return new Endpoint(host, port);
    }

    /** The host ports the engine published the spec's ports at, read once the container runs. */
    private static Map<Integer, Integer> publishedPorts(InspectContainerResponse info) {
        Map<Integer, Integer> published = new TreeMap<>();
        if (info.getNetworkSettings() == null || info.getNetworkSettings().getPorts() == null) {
            return published;
        }
        info.getNetworkSettings().getPorts().getBindings().forEach((exposed, bindings) -> {
            if (bindings != null && bindings.length > 0 && bindings[0].getHostPortSpec() != null) {
                published.put(exposed.getPort(), Integer.parseInt(bindings[0].getHostPortSpec()));
            }
        });
        return published;
    }

    @Override
    boolean mainRunning() {
        if (exitCode != null) {
            return false;
        }
        InspectContainerResponse.ContainerState state;
        try {
            state = client.inspectContainerCmd(id()).exec().getState();
        } catch (NotFoundException e) {
            return false;
        }
        if (Boolean.TRUE.equals(state.getRunning())) {
            return true;
        }
        Long code = state.getExitCodeLong();
        exitCode = code == null ? -1 : code.intValue();
        return false;
    }

    @Override
    OptionalInt exitCodeNow() {
        return mainRunning() || exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    @Override
    Instant startedAt() {
        return startedAt;
    }

    @Override
    public OptionalDouble cpuLimit() {
        return cpuLimit;
    }

    @Override
    public CpuLimitMechanism cpuLimitMechanism() {
        return CpuLimitMechanism.DOCKER_QUOTA;
    }

    @Override
    public int visibleCpus() {
        if (hostCgroup != null) {
            // the engine runs on this machine and Dyno sets no cpuset: the container sees its CPUs
            return Runtime.getRuntime().availableProcessors();
        }
        Statistics stats = Optional.ofNullable(engineStats).flatMap(EngineStats::latestStatistics).orElseGet(this::stats);
        Long online = stats.getCpuStats() == null ? null : stats.getCpuStats().getOnlineCpus();
        return online == null || online < 1 ? Runtime.getRuntime().availableProcessors() : online.intValue();
    }

    /**
     * The engine ends a container's log stream once the container is gone, so waiting for it
     * always ends; on a busy machine it can trail the exit by more than the process runtime's
     * half second (30 000 lines once arrived 0.5 s late), and the output would be cut.
     */
    @Override
    long drainAfterExitMillis() {
        return 10_000;
    }

    @Override
    void applyCpuLimit(double cores) {
        WorkloadCgroup cgroup = hostCgroup;
        if (cgroup != null) {
            try {
                // In force at once: the kernel's own file, as the process runtime writes it (about a millisecond).
                // The engine's update call takes 40–60 ms here, which would make every @CpuBoost restore that late;
                // the engine's record of the limit follows on a thread of its own, in order, with the same value.
                cgroup.setCpuLimit(OptionalDouble.of(cores));
                cpuLimit = OptionalDouble.of(cores);
                ENGINE_RECORDS.execute(() -> recordInEngine(cores));
                return;
            } catch (IOException e) {
                // not writable from here (a rootless user, a read-only cgroupfs): the engine sets it
            }
        }
        updateEngine(cores);
        cpuLimit = OptionalDouble.of(cores);
    }

    /** The engine's record of the limit, after the kernel has it; a container gone meanwhile needs none. */
    private void recordInEngine(double cores) {
        try {
            updateEngine(cores);
        } catch (NotFoundException | ConflictException e) {
            // removed meanwhile, or being removed
        } catch (RuntimeException e) {
            if (!stopped()) {
                System.err.println("[dyno] the engine did not record the CPU limit " + cores + " of workload '" + name
                        + "' (" + id() + "), which is in force in its cgroup: " + e.getMessage());
            }
        }
    }

    private void updateEngine(double cores) {
        // a container created with CpuQuota/CpuPeriod (not NanoCpus) can have them updated in place
        UpdateContainerCmd update = client.updateContainerCmd(id());
        withNumber(UpdateContainerCmd.class, update, "withCpuPeriod", WorkloadCgroup.PERIOD_MICROS);
        withNumber(UpdateContainerCmd.class, update, "withCpuQuota", DockerRuntime.quotaOf(cores));
        update.exec();
    }

    /**
     * Calls a numeric setter such as {@code withCpuQuota} with the type this class path's docker-java
     * has: {@code Integer} in 3.4 (Testcontainers 1.x, as Spring Boot 3.5 manages it), {@code Long}
     * in 3.7. A direct call compiled against one fails with {@code NoSuchMethodError} on the other.
     */
    static <T> void withNumber(Class<T> type, T command, String setter, long value) {
        try {
            try {
                type.getMethod(setter, Long.class).invoke(command, value);
            } catch (NoSuchMethodException longMissing) {
                type.getMethod(setter, Integer.class).invoke(command, Math.toIntExact(value));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("docker-java's " + type.getSimpleName() + " has no usable "
                    + setter + "(Long) or " + setter + "(Integer)", e);
        }
    }

    /**
     * The engine's stats endpoint answers after about a second (it waits for a second reading),
     * too slow for a per-100-ms CPU timeline. When the engine runs on this machine its container's
     * cgroup is readable here, at the paths the cgroupfs and systemd drivers use, and gives the
     * same counters at once. Empty elsewhere (a remote engine, a rootless one): then stats it is.
     */
    static Optional<WorkloadCgroup> findHostCgroup(String containerId) {
        Path root = Path.of("/sys/fs/cgroup");
        List<String> leaves = List.of("docker/" + containerId, "system.slice/docker-" + containerId + ".scope");
        for (String leaf : leaves) {
            Path unified = root.resolve(leaf);
            if (Files.isRegularFile(unified.resolve("cpu.stat")) && Files.isRegularFile(unified.resolve("cgroup.controllers"))) {
                return Optional.of(new WorkloadCgroup(CpuLimitMechanism.CGROUP_V2, unified, unified,
                        Files.isRegularFile(unified.resolve("memory.current")) ? unified : null));
            }
            Path cpu = root.resolve("cpu").resolve(leaf);
            Path cpuacct = root.resolve("cpuacct").resolve(leaf);
            if (Files.isRegularFile(cpu.resolve("cpu.stat")) && Files.isRegularFile(cpuacct.resolve("cpuacct.usage"))) {
                Path memory = root.resolve("memory").resolve(leaf);
                return Optional.of(new WorkloadCgroup(CpuLimitMechanism.CGROUP_V1, cpu, cpuacct,
                        Files.isRegularFile(memory.resolve("memory.usage_in_bytes")) ? memory : null));
            }
        }
        return Optional.empty();
    }

    /** Where this workload's counters come from, in words: its cgroup on this machine, or the engine's stats stream. */
    String countersSource() {
        return hostCgroup != null ? "its cgroup on this machine" : "the engine's stats stream";
    }

    @Override
    UsageCounters readCounters() {
        WorkloadCgroup cgroup = hostCgroup;
        if (cgroup != null) {
            try {
                UsageCounters counters = cgroup.read();
                if (counters.cpuNanos() >= 0 && counters.memoryBytes() >= 0) {
                    return counters;
                }
            } catch (IOException | RuntimeException e) {
                // removed with the container, or not ours to read: ask the engine
            }
            hostCgroup = null;
        }
        EngineStats stream = engineStats;
        if (stream != null) {
            Optional<UsageCounters> latest = stream.latest(Duration.ofSeconds(3));
            if (latest.isPresent()) {
                return latest.get();
            }
        }
        return EngineStats.counters(stats(), startedAt);
    }

    private Statistics stats() {
        AtomicReference<Statistics> received = new AtomicReference<>();
        try (ResultCallback.Adapter<Statistics> callback = client.statsCmd(id()).withNoStream(true)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Statistics statistics) {
                        received.compareAndSet(null, statistics);
                    }
                })) {
            callback.awaitCompletion(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // closing the callback failed after we had our answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Statistics statistics = received.get();
        if (statistics == null) {
            throw new WorkloadException("the Docker engine sent no statistics for workload '" + name + "' (" + id() + ")");
        }
        return statistics;
    }

    @Override
    void terminate(boolean graceful) {
        String id = containerId;
        EngineStats stream = engineStats;
        if (stream != null) {
            stream.close();
        }
        if (id != null) {
            try {
                if (graceful && mainRunning()) {
                    client.stopContainerCmd(id).withTimeout(STOP_GRACE_SECONDS).exec();
                } else if (mainRunning()) {
                    client.killContainerCmd(id).exec();
                }
            } catch (NotFoundException | NotModifiedException e) {
                // already stopped or gone
            } catch (RuntimeException e) {
                // the engine refused (e.g. it is stopping): the removal below is forced anyway
            }
            mainRunning(); // records the exit code before the container disappears
            output.awaitDrained(2_000);
            if (spec.jvmRecording()) {
                copyJvmRecording(id);
            }
        }
        if (id != null) {
            try {
                client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                // removed meanwhile (the engine's own clean-up, or a reaper)
            } catch (ConflictException e) {
                awaitRemoved(id); // "removal … is already in progress": another removal is at it
            }
        }
    }

    /** Waits (up to 10 s) until the engine no longer knows the container, so that its network can go next. */
    private void awaitRemoved(String id) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                client.inspectContainerCmd(id).exec();
            } catch (NotFoundException gone) {
                return;
            }
            WorkloadCgroup.sleepQuietly(50);
        }
    }

    /** Copies the JVM's recording out of the stopped container, where it wrote one; the container is removed next. */
    private void copyJvmRecording(String id) {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                client.copyArchiveFromContainerCmd(id, JVM_RECORDING_IN_CONTAINER).exec())) {
            TarArchiveEntry entry = tar.getNextEntry();
            if (entry != null && entry.isFile()) {
                Files.copy(tar, jvmRecordingFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("[dyno] could not copy " + JVM_RECORDING_IN_CONTAINER + " out of container " + id
                    + " (workload " + name + "): " + e);
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof NotFoundException) {
                    return; // no JVM wrote one: the collection says why
                }
            }
            System.err.println("[dyno] could not copy " + JVM_RECORDING_IN_CONTAINER + " out of container " + id
                    + " (workload " + name + "): " + e);
        }
    }
}
