package dev.dyno.host;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * A cgroup file system mount, from one line of {@code /proc/<pid>/mountinfo}: where the hierarchy
 * is mounted, from which root, and (v1) which controllers it holds.
 *
 * @param fsType {@code cgroup2} for the unified v2 hierarchy, {@code cgroup} for a v1 one
 * @since 0.2
 */
@API(status = INTERNAL, since = "0.2")
public record CgroupMount(String root, Path point, String fsType, Set<String> controllers) {

    /** The cgroup mounts this JVM sees; empty where mountinfo cannot be read. */
    public static List<CgroupMount> ofThisProcess() {
        try {
            return parseAll(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    public static List<CgroupMount> parseAll(List<String> mountinfo) {
        return mountinfo.stream().map(CgroupMount::parse).flatMap(Optional::stream).toList();
    }

    /** The mount of one line, when it is a cgroup one; mount points escape spaces as {@code \040}. */
    public static Optional<CgroupMount> parse(String line) {
        int separator = line.indexOf(" - ");
        if (separator < 0) {
            return Optional.empty();
        }
        String[] left = line.substring(0, separator).split(" ");
        String[] right = line.substring(separator + 3).split(" ");
        if (left.length < 5 || right.length < 3 || !right[0].startsWith("cgroup")) {
            return Optional.empty();
        }
        Set<String> controllers = new LinkedHashSet<>(Arrays.asList(right[2].split(",")));
        return Optional.of(new CgroupMount(left[3], Path.of(left[4].replace("\\040", " ")), right[0], controllers));
    }

    /** Whether this is the unified (v2) hierarchy. */
    public boolean unified() {
        return fsType.equals("cgroup2");
    }
}
