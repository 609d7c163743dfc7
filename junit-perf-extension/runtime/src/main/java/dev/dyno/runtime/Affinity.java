package dev.dyno.runtime;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** CPU affinity through {@code taskset}: the fallback limit where no cgroup is writable, in whole CPUs. */
final class Affinity {

    private Affinity() {
    }

    /** Whether {@code taskset} can pin a process here. */
    static boolean available() {
        try {
            Process probe = new ProcessBuilder("taskset", "-p", String.valueOf(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            probe.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The first {@code ceil(cores)} CPUs this JVM may use, as a taskset list such as "0" or "0,1". */
    static String cpusFor(double cores) {
        List<Integer> allowed = ProcessTree.allowedCpus(ProcessHandle.current().pid());
        if (allowed.isEmpty()) {
            allowed = java.util.stream.IntStream.range(0, Runtime.getRuntime().availableProcessors()).boxed().toList();
        }
        int count = (int) Math.max(1, Math.min(allowed.size(), Math.ceil(cores - 1e-9)));
        return allowed.subList(0, count).stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The command prefix that starts a program pinned to {@code cpus}. */
    static List<String> prefix(String cpus) {
        return List.of("taskset", "-c", cpus);
    }

    /** Pins every thread of running processes. */
    static void pin(Collection<ProcessHandle> processes, String cpus) throws IOException {
        for (ProcessHandle process : processes) {
            if (!process.isAlive()) {
                continue;
            }
            Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, String.valueOf(process.pid()))
                    .redirectErrorStream(true).start();
            taskset.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            try {
                if (!taskset.waitFor(5, TimeUnit.SECONDS)) {
                    taskset.destroyForcibly();
                    throw new IOException("taskset did not finish for pid " + process.pid());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while pinning pid " + process.pid(), e);
            }
            // a process that exited meanwhile makes taskset fail: only a live one's failure counts
            if (taskset.exitValue() != 0 && process.isAlive()) {
                throw new IOException("taskset -a -p -c " + cpus + " " + process.pid() + " failed");
            }
        }
    }
}
