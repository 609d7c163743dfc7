package dev.dyno.longtail;

import dev.dyno.host.CgroupMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Sets the CPU weight of the cgroup a task's process is in, when that cgroup is the task's own
 * (the process runtime makes one per workload under {@code .../dyno/<run>/<workload>}): cgroup v2
 * {@code cpu.weight}, or v1 {@code cpu.shares} = weight × 1024 / 100. A shared cgroup is never
 * touched.
 */
final class CpuWeight {

    private static final String OWN_CGROUP_MARKER = "/dyno/";

    private CpuWeight() {
    }

    /** Applies {@code weight} (1..10000) to the process's own cgroup; says how, or why not. */
    static Applied apply(long pid, int weight) {
        try {
            List<String> membership = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
            List<CgroupMount> mounts = CgroupMount.parseAll(Files.readAllLines(Path.of("/proc/self/mountinfo")));
            for (String line : membership) {
                String[] parts = line.split(":", 3);
                if (parts.length < 3 || !parts[2].contains(OWN_CGROUP_MARKER)) {
                    continue;
                }
                boolean v2 = parts[0].equals("0") && parts[1].isEmpty();
                boolean v1Cpu = List.of(parts[1].split(",")).contains("cpu");
                if (!v2 && !v1Cpu) {
                    continue;
                }
                Optional<Path> mount = mountPoint(mounts, v2);
                if (mount.isEmpty()) {
                    continue;
                }
                Path dir = Path.of(mount.get().toString(), parts[2]);
                Path file = dir.resolve(v2 ? "cpu.weight" : "cpu.shares");
                if (!Files.isWritable(file)) {
                    continue;
                }
                String value = Long.toString(v2 ? weight : Math.max(2, weight * 1024L / 100));
                Files.writeString(file, value);
                return new Applied(true, file.getFileName() + "=" + value);
            }
            return new Applied(false, "not applied: the process has no cgroup of its own with a writable CPU controller");
        } catch (IOException | RuntimeException e) {
            return new Applied(false, "not applied: " + e.getMessage());
        }
    }

    private static Optional<Path> mountPoint(List<CgroupMount> mounts, boolean v2) {
        return mounts.stream().filter(m -> v2 ? m.unified() : !m.unified() && m.controllers().contains("cpu"))
                .map(CgroupMount::point).findFirst();
    }

    /** Whether the weight was set, and as what ({@code cpu.shares=102400}) or why not. */
    record Applied(boolean applied, String detail) {
    }
}
