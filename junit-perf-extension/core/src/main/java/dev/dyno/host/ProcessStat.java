package dev.dyno.host;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One reading of {@code /proc/<pid>/stat}: state, CPU time and nice value of a process.
 *
 * @param state    the state letter ({@code R} running, {@code S} sleeping, {@code Z} zombie, …)
 * @param cpuTicks user + system time in clock ticks
 * @param nice     the nice value
 * @since 0.2
 */
@API(status = INTERNAL, since = "0.2")
public record ProcessStat(char state, long cpuTicks, int nice) {

    /** The process's reading, or empty when it no longer exists. */
    public static Optional<ProcessStat> read(long pid) {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Parses the line; the command name in parentheses may itself hold spaces and parentheses. */
    public static ProcessStat parse(String line) {
        String[] fields = line.substring(line.lastIndexOf(')') + 2).strip().split(" ");
        // fields[0] is field 3 of proc(5): state; utime 14, stime 15, nice 19
        return new ProcessStat(fields[0].charAt(0), Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                Integer.parseInt(fields[16]));
    }

    /** Whether the process is alive and not a zombie. */
    public boolean alive() {
        return state != 'Z' && state != 'X' && state != 'x';
    }

    public long cpuNanos() {
        return cpuTicks * (1_000_000_000L / CpuTimes.TICKS_PER_SECOND);
    }
}
