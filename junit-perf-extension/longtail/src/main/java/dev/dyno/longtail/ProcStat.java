package dev.dyno.longtail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One reading of {@code /proc/<pid>/stat}: state, CPU time and nice value of a process.
 *
 * @param state    the state letter ({@code R} running, {@code S} sleeping, {@code Z} zombie, …)
 * @param cpuTicks user + system time in clock ticks
 * @param nice     the nice value
 */
record ProcStat(char state, long cpuTicks, int nice) {

    /** Linux reports CPU times in USER_HZ ticks, 100 per second on every architecture it runs on. */
    static final long TICKS_PER_SECOND = 100;

    /** The process's reading, or empty when it no longer exists. */
    static Optional<ProcStat> read(long pid) {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Parses the line; the command name in parentheses may itself hold spaces and parentheses. */
    static ProcStat parse(String line) {
        String[] fields = line.substring(line.lastIndexOf(')') + 2).strip().split(" ");
        // fields[0] is field 3 of proc(5): state; utime 14, stime 15, nice 19
        return new ProcStat(fields[0].charAt(0), Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                Integer.parseInt(fields[16]));
    }

    /** Whether the process is alive and not a zombie. */
    boolean alive() {
        return state != 'Z' && state != 'X' && state != 'x';
    }

    long cpuNanos() {
        return cpuTicks * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
