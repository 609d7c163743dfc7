package dev.dyno.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The JVM that started a run: its pid, its start time (pids are reused, start times are not) and
 * its host (a remote Docker engine holds containers of many hosts' JVMs).
 */
record RunOwner(long pid, long startMillis, String host) {

    /** Start times read at different moments differ by clock-tick rounding; a reused pid differs by far more. */
    private static final long START_TOLERANCE_MILLIS = 1_000;

    private static final RunOwner CURRENT = new RunOwner(ProcessHandle.current().pid(),
            startMillisOf(ProcessHandle.current()).orElse(0L), hostName());

    static RunOwner current() {
        return CURRENT;
    }

    /** Whether this owner ran on this host and is gone, so what it left behind is ours to reap. */
    boolean isGoneFromThisHost() {
        if (!host.equals(CURRENT.host)) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        return startMillisOf(process.get())
                .map(start -> startMillis > 0 && Math.abs(start - startMillis) > START_TOLERANCE_MILLIS)
                .orElse(false);
    }

    /** Parses {@link #toString()}; empty for anything else. */
    static Optional<RunOwner> parse(String text) {
        String[] parts = text.strip().split(" ");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RunOwner(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<Long> startMillisOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    private static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name.replace(' ', '_');
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to the environment
        }
        String fromEnv = System.getenv("HOSTNAME");
        return fromEnv == null || fromEnv.isBlank() ? "unknown-host" : fromEnv.strip().replace(' ', '_');
    }

    @Override
    public String toString() {
        return pid + " " + startMillis + " " + host;
    }
}
