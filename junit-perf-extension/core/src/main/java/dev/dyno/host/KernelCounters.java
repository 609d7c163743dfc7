package dev.dyno.host;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The kernel's {@code name value} files: a cgroup's {@code cpu.stat} and {@code memory.stat}, and
 * {@code /proc/meminfo} ({@code name: value kB}). Lines whose value is not a number are left out.
 *
 * @since 0.2
 */
@API(status = INTERNAL, since = "0.2")
public final class KernelCounters {

    private KernelCounters() {
    }

    /** The counters of a file; an empty map where it cannot be read. */
    public static Map<String, Long> read(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** Parses {@code name value} and {@code name: value unit} lines alike. */
    public static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> values = new TreeMap<>();
        for (String line : lines) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length < 2) {
                continue;
            }
            String name = parts[0].endsWith(":") ? parts[0].substring(0, parts[0].length() - 1) : parts[0];
            try {
                values.put(name, Long.parseLong(parts[1]));
            } catch (NumberFormatException e) {
                // not a number: not one we read
            }
        }
        return values;
    }
}
