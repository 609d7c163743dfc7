package dev.dyno.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Processes as Linux shows them in /proc: trees, environments, CPU time, memory, affinity. */
final class ProcessTree {

    /** Environment variables every process Dyno starts carries, and so do its descendants. */
    static final String RUN_ID_ENV = "DYNO_RUN_ID";
    static final String OWNER_ENV = "DYNO_OWNER";
    static final String WORKLOAD_ENV = "DYNO_WORKLOAD";

    /** USER_HZ is 100 on every Linux architecture Java runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final long PAGE_SIZE = 4096;
    private static final Path PROC = Path.of("/proc");

    private ProcessTree() {
    }

    /** The process and its descendants, taken before signalling: once a parent dies its children are reparented. */
    static Set<ProcessHandle> treeOf(ProcessHandle root) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    static void signal(Collection<ProcessHandle> processes, boolean force) {
        for (ProcessHandle process : processes) {
            if (process.pid() == ProcessHandle.current().pid()) {
                continue;
            }
            if (force) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
        }
    }

    static boolean anyAlive(Collection<ProcessHandle> processes) {
        return processes.stream().anyMatch(ProcessHandle::isAlive);
    }

    static Set<ProcessHandle> handles(Collection<Long> pids) {
        Set<ProcessHandle> handles = new LinkedHashSet<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(handles::add);
        }
        return handles;
    }

    /** Pids of live processes whose environment has {@code key}, with the value; unreadable ones are skipped. */
    static Map<Long, Map<String, String>> carrying(String key) {
        Map<Long, Map<String, String>> found = new LinkedHashMap<>();
        byte[] needle = (key + "=").getBytes(StandardCharsets.UTF_8);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                byte[] environ;
                try {
                    environ = readEnviron(entry, pid);
                } catch (IOException | SecurityException e) {
                    continue; // another user's process, or it just exited
                }
                if (indexOf(environ, needle) >= 0) {
                    found.put(pid, parseEnviron(environ));
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return found;
    }

    /**
     * A process's environment. While a process is in the middle of {@code execve} (our start
     * wrapper becoming the workload) its environ reads as empty for a moment; only kernel threads
     * have none for good, so an empty read from anything else is retried briefly.
     */
    private static byte[] readEnviron(Path entry, long pid) throws IOException {
        byte[] environ = Files.readAllBytes(entry.resolve("environ"));
        for (int retry = 0; environ.length == 0 && retry < 20 && !isKernelThread(pid); retry++) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            environ = Files.readAllBytes(entry.resolve("environ"));
        }
        return environ;
    }

    private static final long PF_KTHREAD = 0x00200000L;

    private static boolean isKernelThread(long pid) {
        return statFields(pid).map(f -> (Long.parseLong(f.get(6)) & PF_KTHREAD) != 0).orElse(true); // index 6: field 9, flags
    }

    /** The CPU time of a set of processes, in nanoseconds (exited children are lost: cgroups are exact, this is not). */
    static long cpuNanos(Collection<ProcessHandle> processes) {
        long ticks = 0;
        for (ProcessHandle process : processes) {
            ticks += statFields(process.pid()).map(f -> Long.parseLong(f.get(11)) + Long.parseLong(f.get(12))).orElse(0L);
        }
        return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    /** Resident memory of a set of processes, in bytes. */
    static long residentBytes(Collection<ProcessHandle> processes) {
        long pages = 0;
        for (ProcessHandle process : processes) {
            try {
                String[] statm = Files.readString(PROC.resolve(process.pid() + "/statm")).strip().split(" ");
                pages += Long.parseLong(statm[1]);
            } catch (IOException | RuntimeException e) {
                // exited
            }
        }
        return pages * PAGE_SIZE;
    }

    /** The CPUs a process may run on (its affinity mask), such as [0, 1]; empty if unknown. */
    static List<Integer> allowedCpus(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseCpuList(line.substring(line.indexOf(':') + 1).strip());
                }
            }
        } catch (IOException e) {
            // exited
        }
        return List.of();
    }

    static List<Integer> parseCpuList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String range : list.split(",")) {
            if (range.isBlank()) {
                continue;
            }
            String[] bounds = range.strip().split("-");
            int from = Integer.parseInt(bounds[0]);
            int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
            for (int cpu = from; cpu <= to; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    /** Whether {@code pid} is this JVM or one of its ancestors: never ours to kill. */
    static boolean isSelfOrAncestor(long pid) {
        Optional<ProcessHandle> process = Optional.of(ProcessHandle.current());
        while (process.isPresent()) {
            if (process.get().pid() == pid) {
                return true;
            }
            process = process.get().parent();
        }
        return false;
    }

    /** The fields of /proc/PID/stat after the command name: index 0 is the state, 11 utime, 12 stime. */
    private static Optional<List<String>> statFields(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"));
            // the command name is in parentheses and may hold spaces: split after the last ')'
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return rest.length > 12 ? Optional.of(List.of(rest)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> parseEnviron(byte[] environ) {
        Map<String, String> variables = new HashMap<>();
        int start = 0;
        for (int i = 0; i <= environ.length; i++) {
            if (i == environ.length || environ[i] == 0) {
                if (i > start) {
                    String entry = new String(environ, start, i - start, StandardCharsets.UTF_8);
                    int equals = entry.indexOf('=');
                    if (equals > 0) {
                        variables.put(entry.substring(0, equals), entry.substring(equals + 1));
                    }
                }
                start = i + 1;
            }
        }
        return variables;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue; // only at the start of an entry
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
