package dev.dyno.runtime;

import dev.dyno.host.CgroupMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where this JVM may create cgroups for its workloads, and which cgroup version it is.
 *
 * <p>cgroup v1 (separate {@code cpu}, {@code cpuacct}, {@code memory} hierarchies, as on this
 * project's CI machines) or v2 ({@code cpu.max}, one unified hierarchy) is detected from
 * {@code /proc/self/mountinfo}. Under v1 a workload's cgroups nest under this JVM's own cgroup
 * when that is writable, so limits set on the JVM's cgroup still hold; otherwise under the
 * hierarchy's root. Under v2 they go under the root, because a v2 cgroup holding processes (as
 * the JVM's own does) cannot delegate controllers to children.
 */
final class CgroupHierarchy {

    static final String PARENT = "dyno";

    private final CpuLimitMechanism version;
    private final Path cpuBase;
    private final Path cpuacctBase;
    private final Path memoryBase;

    private CgroupHierarchy(CpuLimitMechanism version, Path cpuBase, Path cpuacctBase, Path memoryBase) {
        this.version = version;
        this.cpuBase = cpuBase;
        this.cpuacctBase = cpuacctBase;
        this.memoryBase = memoryBase;
    }

    /** The usable hierarchy, or empty when no cgroup with a CPU controller is writable. */
    static Optional<CgroupHierarchy> detect() {
        try {
            List<String> mountinfo = Files.readAllLines(Path.of("/proc/self/mountinfo"));
            List<String> membership = Files.readAllLines(Path.of("/proc/self/cgroup"));
            return detect(mountinfo, membership);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<CgroupHierarchy> detect(List<String> mountinfo, List<String> membership) {
        List<CgroupMount> mounts = new ArrayList<>();
        for (String line : mountinfo) {
            CgroupMount.parse(line).ifPresent(mounts::add);
        }
        Optional<CgroupHierarchy> v1 = detectV1(mounts, membership);
        return v1.isPresent() ? v1 : detectV2(mounts);
    }

    private static Optional<CgroupHierarchy> detectV1(List<CgroupMount> mounts, List<String> membership) {
        Optional<CgroupMount> cpu = v1Mount(mounts, "cpu");
        if (cpu.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> cpuBase = writableBase(cpu.get(), ownPath(membership, "cpu"), "cpu.cfs_quota_us");
        if (cpuBase.isEmpty()) {
            return Optional.empty();
        }
        Path cpuacctBase = null;
        if (cpu.get().controllers().contains("cpuacct")) {
            cpuacctBase = cpuBase.get();
        } else {
            cpuacctBase = v1Mount(mounts, "cpuacct")
                    .flatMap(m -> writableBase(m, ownPath(membership, "cpuacct"), "cpuacct.usage"))
                    .orElse(null);
        }
        Path memoryBase = v1Mount(mounts, "memory")
                .flatMap(m -> writableBase(m, ownPath(membership, "memory"), "memory.limit_in_bytes"))
                .orElse(null);
        return Optional.of(new CgroupHierarchy(CpuLimitMechanism.CGROUP_V1, cpuBase.get(), cpuacctBase, memoryBase));
    }

    private static Optional<CgroupHierarchy> detectV2(List<CgroupMount> mounts) {
        for (CgroupMount mount : mounts) {
            if (!mount.fsType().equals("cgroup2") || !mount.root().equals("/")) {
                continue;
            }
            Set<String> available = controllersIn(mount.point().resolve("cgroup.controllers"));
            if (!available.contains("cpu")) {
                continue; // held by a v1 hierarchy, as on hybrid systems
            }
            try {
                Path parent = mount.point().resolve(PARENT);
                String wanted = available.contains("memory") ? "+cpu +memory" : "+cpu";
                enableControllers(mount.point(), wanted);
                Files.createDirectories(parent);
                enableControllers(parent, wanted);
                boolean memory = controllersIn(parent.resolve("cgroup.subtree_control")).contains("memory");
                return Optional.of(new CgroupHierarchy(CpuLimitMechanism.CGROUP_V2, mount.point(), mount.point(),
                        memory ? mount.point() : null));
            } catch (IOException | RuntimeException e) {
                // not writable: try the next mount, then give up
            }
        }
        return Optional.empty();
    }

    CpuLimitMechanism mechanism() {
        return version;
    }

    boolean hasMemoryController() {
        return memoryBase != null;
    }

    /** Creates the cgroup(s) for one workload: {@code <base>/dyno/<runId>/<workload>}. */
    WorkloadCgroup create(RunId runId, String workload) throws IOException {
        if (version == CpuLimitMechanism.CGROUP_V2) {
            Path run = cpuBase.resolve(PARENT).resolve(runId.value());
            Files.createDirectories(run);
            enableControllers(run, hasMemoryController() ? "+cpu +memory" : "+cpu");
            Path dir = Files.createDirectories(run.resolve(workload));
            return new WorkloadCgroup(version, dir, dir, hasMemoryController() ? dir : null);
        }
        Path cpu = Files.createDirectories(cpuBase.resolve(PARENT).resolve(runId.value()).resolve(workload));
        Path cpuacct = cpuacctBase == null ? null
                : Files.createDirectories(cpuacctBase.resolve(PARENT).resolve(runId.value()).resolve(workload));
        Path memory = memoryBase == null ? null
                : Files.createDirectories(memoryBase.resolve(PARENT).resolve(runId.value()).resolve(workload));
        return new WorkloadCgroup(version, cpu, cpuacct, memory);
    }

    /** The {@code <base>/dyno} directories, where the reaper looks for runs' cgroups. */
    List<Path> parents() {
        Set<Path> parents = new LinkedHashSet<>();
        for (Path base : Arrays.asList(cpuBase, cpuacctBase, memoryBase)) {
            if (base != null) {
                parents.add(base.resolve(PARENT));
            }
        }
        return new ArrayList<>(parents);
    }

    /** Removes a run's (now empty) cgroup directories. */
    void removeRun(RunId runId) {
        for (Path parent : parents()) {
            WorkloadCgroup.removeDir(parent.resolve(runId.value()));
        }
    }

    private static Optional<CgroupMount> v1Mount(List<CgroupMount> mounts, String controller) {
        return mounts.stream()
                .filter(m -> m.fsType().equals("cgroup") && m.controllers().contains(controller))
                .findFirst();
    }

    /** This JVM's cgroup path in the v1 hierarchy holding {@code controller}, from /proc/self/cgroup. */
    private static String ownPath(List<String> membership, String controller) {
        for (String line : membership) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && Arrays.asList(parts[1].split(",")).contains(controller)) {
                return parts[2];
            }
        }
        return "/";
    }

    /** The JVM's own cgroup when we can create children there, else the hierarchy root. */
    private static Optional<Path> writableBase(CgroupMount mount, String ownPath, String controlFile) {
        List<Path> candidates = new ArrayList<>();
        if (ownPath.startsWith(mount.root())) {
            String relative = ownPath.substring(mount.root().length()).replaceFirst("^/+", "");
            candidates.add(relative.isEmpty() ? mount.point() : mount.point().resolve(relative));
        }
        candidates.add(mount.point());
        for (Path base : candidates) {
            try {
                Path parent = Files.createDirectories(base.resolve(PARENT));
                if (Files.isWritable(parent.resolve(controlFile))) {
                    return Optional.of(base);
                }
            } catch (IOException | RuntimeException e) {
                // read-only or not ours: next candidate
            }
        }
        return Optional.empty();
    }

    private static Set<String> controllersIn(Path file) {
        try {
            return new LinkedHashSet<>(Arrays.asList(Files.readString(file).strip().split("\\s+")));
        } catch (IOException e) {
            return Set.of();
        }
    }

    private static void enableControllers(Path dir, String wanted) throws IOException {
        Set<String> enabled = controllersIn(dir.resolve("cgroup.subtree_control"));
        for (String controller : wanted.split(" ")) {
            if (!enabled.contains(controller.substring(1))) {
                Files.writeString(dir.resolve("cgroup.subtree_control"), controller);
            }
        }
    }
}
