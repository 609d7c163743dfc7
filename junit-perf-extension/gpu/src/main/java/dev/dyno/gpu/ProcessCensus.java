package dev.dyno.gpu;

import dev.dyno.runtime.DockerRuntime;
import dev.dyno.runtime.WorkloadRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts what the leak check looks for: this JVM's descendants, processes carrying a run id, and,
 * where workers run in containers, the containers carrying the run's label.
 */
final class ProcessCensus {

    /** The environment variable the process runtime gives every workload and its children. */
    static final String RUN_ID_ENV = "DYNO_RUN_ID";

    private static final Path PROC = Path.of("/proc");

    private ProcessCensus() {
    }

    /** Live descendants of this JVM (zombies, which no longer run, are not counted). */
    static int descendants() {
        return (int) ProcessHandle.current().descendants().filter(ProcessCensus::running).count();
    }

    /** Live processes whose environment has {@code DYNO_RUN_ID=runId}, as {@code "pid command"}. */
    static List<String> carryingRunId(String runId) {
        List<String> found = new ArrayList<>();
        byte[] needle = (RUN_ID_ENV + "=" + runId + "\0").getBytes(StandardCharsets.UTF_8);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                byte[] environ;
                try {
                    environ = Files.readAllBytes(entry.resolve("environ"));
                } catch (IOException | SecurityException e) {
                    continue; // another user's process, or it just exited
                }
                if (contains(environ, needle) && ProcessHandle.of(pid).map(ProcessCensus::running).orElse(false)) {
                    found.add(pid + " " + commandLine(entry));
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return found;
    }

    /**
     * Containers labelled with the runtime's run ({@value DockerRuntime#RUN_LABEL}), as
     * {@code "id name (state)"}: running ones only, or all; none for a runtime without containers.
     */
    static List<String> containersOfRun(WorkloadRuntime runtime, boolean runningOnly) {
        return runtime instanceof DockerRuntime docker ? docker.labelledContainers(runningOnly) : List.of();
    }

    /** Removes every container labelled with the runtime's run, whoever started it. */
    static void removeContainersOfRun(WorkloadRuntime runtime) {
        if (runtime instanceof DockerRuntime docker) {
            docker.removeLabelledContainers();
        }
    }

    /** Whether a process runs, i.e. is alive and not a zombie waiting to be reaped. */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(PROC.resolve(process.pid() + "/stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive();
        }
    }

    private static String commandLine(Path procEntry) {
        try {
            return new String(Files.readAllBytes(procEntry.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        // environ is NUL-separated; match at the start or right after a NUL
        outer:
        for (int i = 0; i + needle.length <= haystack.length + 1; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                int k = i + j;
                byte b = k < haystack.length ? haystack[k] : 0; // the last entry may lack its NUL
                if (b != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
