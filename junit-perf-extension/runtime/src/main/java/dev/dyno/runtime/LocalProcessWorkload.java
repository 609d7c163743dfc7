package dev.dyno.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A workload that is an OS process (and whatever it forks), in its own cgroup or pinned to CPUs. */
final class LocalProcessWorkload extends AbstractWorkload {

    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final Duration KILL_DEADLINE = Duration.ofSeconds(5);

    private final Process process;
    private final ProcessHandle handle;
    private final Instant startedAt;
    private final WorkloadCgroup cgroup;
    private final CpuLimitMechanism mechanism;
    private final Path workloadDir;
    private final Path ownWorkDir;
    private volatile OptionalDouble cpuLimit;
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();

    LocalProcessWorkload(WorkloadSpec spec, String name, RunId runId, Path workloadDir, Path ownWorkDir,
            Process process, WorkloadCgroup cgroup, CpuLimitMechanism mechanism, Consumer<AbstractWorkload> whenStopped) {
        super(spec, name, runId, workloadDir, whenStopped);
        this.process = process;
        this.handle = process.toHandle();
        this.startedAt = RunOwner.startMillisOf(handle).map(Instant::ofEpochMilli).orElseGet(Instant::now);
        this.cgroup = cgroup;
        this.mechanism = mechanism;
        this.workloadDir = workloadDir;
        this.ownWorkDir = ownWorkDir;
        this.cpuLimit = spec.cpuLimit();
        writePidFile();
        read(process.getInputStream(), OutputCapture.Stream.STDOUT);
        read(process.getErrorStream(), OutputCapture.Stream.STDERR);
        // wakes a wait for readiness or exit the moment the process exits, even while a child holds its output open
        process.onExit().thenRun(output::exited);
    }

    private void writePidFile() {
        try {
            Files.writeString(workloadDir.resolve(RunDirectory.PID_FILE),
                    handle.pid() + " " + startedAt.toEpochMilli() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the pid file of workload " + name, e);
        }
    }

    private void read(InputStream stream, OutputCapture.Stream kind) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.line(kind, line);
                }
            } catch (IOException e) {
                // the stream was closed under us: the workload is being stopped
            } finally {
                output.ended(kind);
            }
        }, "dyno-" + name + "-" + kind.name().toLowerCase());
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public String id() {
        return String.valueOf(handle.pid());
    }

    @Override
    public Endpoint endpoint(int port) {
        if (spec.network() == NetworkMode.NONE) {
            throw new IllegalStateException("workload '" + name + "' runs with network NONE: it has no endpoints");
        }
        return new Endpoint("127.0.0.1", port);
    }

    @Override
    boolean mainRunning() {
        return process.isAlive();
    }

    @Override
    OptionalInt exitCodeNow() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
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
        return mechanism;
    }

    @Override
    public int visibleCpus() {
        List<Integer> cpus = ProcessTree.allowedCpus(process.isAlive() ? handle.pid() : ProcessHandle.current().pid());
        return cpus.isEmpty() ? Runtime.getRuntime().availableProcessors() : cpus.size();
    }

    @Override
    void applyCpuLimit(double cores) {
        try {
            if (cgroup != null) {
                cgroup.setCpuLimit(OptionalDouble.of(cores));
            } else if (mechanism == CpuLimitMechanism.AFFINITY) {
                Affinity.pin(ProcessTree.treeOf(handle), Affinity.cpusFor(cores));
            } else {
                throw new UnsupportedOperationException("workload '" + name + "': no writable cgroup and no taskset "
                        + "here, so its CPU limit cannot be enforced (mechanism NONE)");
            }
        } catch (IOException e) {
            throw new WorkloadException("could not set the CPU limit of workload '" + name + "' to " + cores, e);
        }
        cpuLimit = OptionalDouble.of(cores);
    }

    @Override
    UsageCounters readCounters() {
        if (cgroup != null) {
            try {
                UsageCounters counters = cgroup.read();
                if (counters.cpuNanos() >= 0 && counters.memoryBytes() >= 0) {
                    return counters;
                }
                Set<ProcessHandle> tree = currentProcesses();
                return new UsageCounters(counters.at(),
                        counters.cpuNanos() >= 0 ? counters.cpuNanos() : ProcessTree.cpuNanos(tree),
                        counters.periods(), counters.throttledPeriods(), counters.throttledNanos(),
                        counters.memoryBytes() >= 0 ? counters.memoryBytes() : ProcessTree.residentBytes(tree));
            } catch (IOException | RuntimeException e) {
                // the cgroup went away under us: fall through to /proc
            }
        }
        Set<ProcessHandle> tree = currentProcesses();
        return new UsageCounters(Instant.now(), ProcessTree.cpuNanos(tree), 0, 0, 0, ProcessTree.residentBytes(tree));
    }

    /** Everything of this workload alive now: its tree, its cgroup, and (without a cgroup) its environment marker. */
    private Set<ProcessHandle> currentProcesses() {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        synchronized (seen) {
            if (handle.isAlive()) {
                seen.addAll(ProcessTree.treeOf(handle));
            }
            seen.removeIf(p -> !p.isAlive());
            all.addAll(seen);
        }
        if (cgroup != null) {
            all.addAll(ProcessTree.handles(cgroup.members()));
        }
        return all;
    }

    /** Without a cgroup, reparented grandchildren are found by the run id and workload name they inherited. */
    private Set<ProcessHandle> carryingMarker() {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        for (Map.Entry<Long, Map<String, String>> entry : ProcessTree.carrying(ProcessTree.WORKLOAD_ENV).entrySet()) {
            Map<String, String> env = entry.getValue();
            if (runId.value().equals(env.get(ProcessTree.RUN_ID_ENV)) && name.equals(env.get(ProcessTree.WORKLOAD_ENV))
                    && !ProcessTree.isSelfOrAncestor(entry.getKey())) {
                ProcessHandle.of(entry.getKey()).ifPresent(found::add);
            }
        }
        return found;
    }

    @Override
    void terminate(boolean graceful) {
        Set<ProcessHandle> targets = currentProcesses();
        if (cgroup == null) {
            targets.addAll(carryingMarker());
        }
        if (graceful && ProcessTree.anyAlive(targets)) {
            ProcessTree.signal(targets, false);
            long deadline = System.nanoTime() + STOP_GRACE.toNanos();
            while (System.nanoTime() < deadline && ProcessTree.anyAlive(currentProcesses())) {
                WorkloadCgroup.sleepQuietly(10);
            }
        }
        long deadline = System.nanoTime() + KILL_DEADLINE.toNanos();
        do {
            targets.addAll(currentProcesses());
            if (cgroup == null) {
                targets.addAll(carryingMarker());
            }
            targets.removeIf(p -> !p.isAlive());
            ProcessTree.signal(targets, true);
            if (!targets.isEmpty()) {
                WorkloadCgroup.sleepQuietly(10);
            }
        } while (!targets.isEmpty() && System.nanoTime() < deadline);
        // output ends once no process holds the pipes; bounded, so a stuck reader cannot stall teardown
        output.awaitDrained(1_000);
        if (cgroup != null) {
            cgroup.remove();
        }
        try {
            Files.deleteIfExists(workloadDir.resolve(RunDirectory.PID_FILE));
            if (ownWorkDir != null) {
                deleteRecursively(ownWorkDir);
            }
        } catch (IOException e) {
            // logs stay for the report either way; a stale pid file is ignored once its process is gone
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
