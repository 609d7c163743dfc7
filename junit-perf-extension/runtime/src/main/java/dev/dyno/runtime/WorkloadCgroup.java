package dev.dyno.runtime;

import dev.dyno.host.KernelCounters;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/** One workload's cgroup(s): limits written before and while it runs, counters read, members killed. */
final class WorkloadCgroup {

    /** The CFS period Dyno uses: 100 ms, the kernel's and Docker's default. */
    static final long PERIOD_MICROS = 100_000;

    private final CpuLimitMechanism version;
    private final Path cpu;
    private final Path cpuacct;
    private final Path memory;

    WorkloadCgroup(CpuLimitMechanism version, Path cpu, Path cpuacct, Path memory) {
        this.version = version;
        this.cpu = cpu;
        this.cpuacct = cpuacct;
        this.memory = memory;
    }

    /** The cgroup.procs files a new process writes its pid to, one per hierarchy. */
    List<String> procsFiles() {
        Set<String> files = new LinkedHashSet<>();
        for (Path dir : dirs()) {
            files.add(dir.resolve("cgroup.procs").toString());
        }
        return new ArrayList<>(files);
    }

    void setCpuLimit(OptionalDouble cores) throws IOException {
        long quota = cores.isPresent() ? Math.max(1_000, Math.round(cores.getAsDouble() * PERIOD_MICROS)) : -1;
        if (version == CpuLimitMechanism.CGROUP_V2) {
            Files.writeString(cpu.resolve("cpu.max"), (quota < 0 ? "max" : String.valueOf(quota)) + " " + PERIOD_MICROS);
        } else {
            Files.writeString(cpu.resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_MICROS));
            Files.writeString(cpu.resolve("cpu.cfs_quota_us"), String.valueOf(quota));
        }
    }

    boolean hasMemory() {
        return memory != null;
    }

    void setMemoryLimit(long bytes) throws IOException {
        if (version == CpuLimitMechanism.CGROUP_V2) {
            Files.writeString(memory.resolve("memory.max"), String.valueOf(bytes));
            Files.writeString(memory.resolve("memory.swap.max"), "0"); // best effort below
        } else {
            Files.writeString(memory.resolve("memory.limit_in_bytes"), String.valueOf(bytes));
        }
    }

    /** Cumulative counters; memory is -1 when there is no memory cgroup, CPU -1 when there is no accounting. */
    UsageCounters read() throws IOException {
        Instant at = Instant.now();
        Map<String, Long> stat = KernelCounters.read(cpu.resolve("cpu.stat"));
        if (stat.isEmpty()) {
            throw new IOException("cannot read " + cpu.resolve("cpu.stat"));
        }
        long cpuNanos;
        long throttledNanos;
        if (version == CpuLimitMechanism.CGROUP_V2) {
            cpuNanos = stat.getOrDefault("usage_usec", -1L) * 1_000;
            throttledNanos = stat.getOrDefault("throttled_usec", 0L) * 1_000;
        } else {
            cpuNanos = cpuacct == null ? -1 : Long.parseLong(Files.readString(cpuacct.resolve("cpuacct.usage")).strip());
            throttledNanos = stat.getOrDefault("throttled_time", 0L);
        }
        long memoryBytes = -1;
        if (memory != null) {
            String usageFile = version == CpuLimitMechanism.CGROUP_V2 ? "memory.current" : "memory.usage_in_bytes";
            long usage = Long.parseLong(Files.readString(memory.resolve(usageFile)).strip());
            Map<String, Long> memoryStat = KernelCounters.read(memory.resolve("memory.stat"));
            // like `docker stats`: page cache that can be dropped is not the workload's memory
            long inactiveFile = memoryStat.getOrDefault("total_inactive_file", memoryStat.getOrDefault("inactive_file", 0L));
            memoryBytes = Math.max(0, usage - inactiveFile);
        }
        return new UsageCounters(at, cpuNanos, stat.getOrDefault("nr_periods", 0L),
                stat.getOrDefault("nr_throttled", 0L), throttledNanos, memoryBytes);
    }

    /** Pids in the cgroup: the authoritative list of what to kill, whoever their parent now is. */
    Set<Long> members() {
        return membersOf(cpu);
    }

    /** Removes the directories; the kernel refuses while a member lives, so call after killing. */
    boolean remove() {
        boolean all = true;
        for (Path dir : dirs()) {
            all &= removeDir(dir);
        }
        return all;
    }

    List<Path> dirs() {
        List<Path> dirs = new ArrayList<>();
        for (Path dir : new Path[] {cpu, cpuacct, memory}) {
            if (dir != null && !dirs.contains(dir)) {
                dirs.add(dir);
            }
        }
        return dirs;
    }

    static Set<Long> membersOf(Path dir) {
        Set<Long> pids = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone already
        }
        return pids;
    }

    /** rmdir of a cgroup directory and its child cgroups (cgroupfs directories cannot be deleted file by file). */
    static boolean removeDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path child : children) {
                removeDir(child);
            }
        } catch (IOException e) {
            // listing failed: try the rmdir anyway
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (IOException e) {
                // EBUSY while the last member is still exiting
                sleepQuietly(20);
            }
        }
        return false;
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return cpu.toString();
    }
}
