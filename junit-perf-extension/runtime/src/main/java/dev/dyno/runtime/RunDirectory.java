package dev.dyno.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's files: {@code ${java.io.tmpdir}/dyno-<uid>/runs/<runId>/}, holding an {@code owner}
 * file and one directory per workload with its {@code pid} file and logs. Pid files and owner
 * files are how the next run finds what a killed JVM left behind.
 */
final class RunDirectory {

    static final String OWNER_FILE = "owner";
    static final String PID_FILE = "pid";

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** Where all runs of this user live. */
    static Path runsRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "dyno-" + userId(), "runs");
    }

    static RunDirectory create(RunId runId, RunOwner owner) {
        Path dir = runsRoot().resolve(runId.value());
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(OWNER_FILE), owner + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the run directory " + dir, e);
        }
        return new RunDirectory(dir);
    }

    Path path() {
        return dir;
    }

    /** A fresh directory for one workload. */
    Path workloadDir(String workloadName) {
        Path workload = dir.resolve(workloadName);
        try {
            return Files.createDirectories(workload);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + workload, e);
        }
    }

    /** Marks the run as cleanly closed: nothing in it is left to reap. A run that started nothing leaves no directory. */
    void markClosed() {
        try {
            Files.deleteIfExists(dir.resolve(OWNER_FILE));
            Files.deleteIfExists(dir); // only succeeds when empty; logs of started workloads stay for reports
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // workloads ran: keep their logs
        } catch (IOException e) {
            // the reaper will find a live-looking owner file of a dead JVM and do the same
        }
    }

    private static String userId() {
        try {
            // /proc/self is owned by the process's own uid
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        }
    }
}
