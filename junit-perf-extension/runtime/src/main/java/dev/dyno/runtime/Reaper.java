package dev.dyno.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what JVMs that died without closing their runtime (kill -9, a crash, a CI timeout) left
 * behind. Runs when a runtime opens. Only leftovers of owners that are gone from this host are
 * touched: another live JVM's runs are never reaped.
 *
 * <p>Processes are found three ways, because each can miss: the {@code DYNO_OWNER} variable every
 * workload's process tree inherits, the members of the run's cgroups, and the pid files.
 * Containers are found by their {@code dev.dyno.owner-*} labels.
 */
final class Reaper {

    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
    /** Run directories (logs) of finished or dead runs are kept this long for post-mortems. */
    private static final Duration KEEP_LOGS = Duration.ofDays(2);

    private Reaper() {
    }

    /** @return how many processes were killed */
    static int reapProcesses(Optional<CgroupHierarchy> cgroups) {
        Set<ProcessHandle> orphans = new LinkedHashSet<>();
        ProcessTree.carrying(ProcessTree.OWNER_ENV).forEach((pid, env) -> {
            Optional<RunOwner> owner = RunOwner.parse(env.get(ProcessTree.OWNER_ENV));
            if (owner.isPresent() && owner.get().isGoneFromThisHost() && !ProcessTree.isSelfOrAncestor(pid)) {
                ProcessHandle.of(pid).ifPresent(orphans::add);
            }
        });
        Path runs = RunDirectory.runsRoot();
        if (Files.isDirectory(runs)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs, Files::isDirectory)) {
                for (Path run : dirs) {
                    if (ownerIsGone(run)) {
                        orphans.addAll(fromPidFiles(run));
                    }
                }
            } catch (IOException e) {
                LOG.debug("could not list {}", runs, e);
            }
        }
        Set<ProcessHandle> all = new LinkedHashSet<>();
        orphans.forEach(o -> all.addAll(ProcessTree.treeOf(o)));
        cgroups.ifPresent(h -> all.addAll(staleCgroupMembers(h)));
        all.removeIf(p -> ProcessTree.isSelfOrAncestor(p.pid()));
        int killed = (int) all.stream().filter(ProcessHandle::isAlive).count();
        killUntilGone(all);
        cgroups.ifPresent(Reaper::removeStaleCgroups);
        pruneRunDirectories(runs);
        if (killed > 0) {
            LOG.info("reaped {} process(es) left behind by JVMs that are gone", killed);
        }
        return killed;
    }

    /** @return how many containers were removed */
    static int reapContainers(DockerClient client) {
        List<Container> containers = client.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(List.of(DockerRuntime.OWNER_PID_LABEL))
                .exec();
        int removed = 0;
        for (Container container : containers) {
            if (ownerIsGone(container.getLabels())) {
                try {
                    client.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                    removed++;
                } catch (RuntimeException e) {
                    LOG.debug("could not remove leftover container {}", container.getId(), e);
                }
            }
        }
        // a run's bridge network goes once its containers are gone
        for (Network network : client.listNetworksCmd().withFilter("label", List.of(DockerRuntime.OWNER_PID_LABEL)).exec()) {
            if (ownerIsGone(network.getLabels())) {
                try {
                    client.removeNetworkCmd(network.getId()).exec();
                } catch (RuntimeException e) {
                    LOG.debug("could not remove leftover network {}", network.getName(), e);
                }
            }
        }
        if (removed > 0) {
            LOG.info("reaped {} container(s) left behind by JVMs that are gone", removed);
        }
        return removed;
    }

    private static boolean ownerIsGone(Map<String, String> labels) {
        if (labels == null) {
            return false;
        }
        Optional<RunOwner> owner = RunOwner.parse(labels.getOrDefault(DockerRuntime.OWNER_PID_LABEL, "") + " "
                + labels.getOrDefault(DockerRuntime.OWNER_START_LABEL, "0") + " "
                + labels.getOrDefault(DockerRuntime.OWNER_HOST_LABEL, "?"));
        return owner.isPresent() && owner.get().isGoneFromThisHost();
    }

    private static boolean ownerIsGone(Path run) {
        Path ownerFile = run.resolve(RunDirectory.OWNER_FILE);
        if (!Files.exists(ownerFile)) {
            return false; // closed cleanly, or already reaped
        }
        try {
            return RunOwner.parse(Files.readString(ownerFile)).map(RunOwner::isGoneFromThisHost).orElse(true);
        } catch (IOException e) {
            return false;
        }
    }

    /** Processes named by pid files that are still the same processes (same start time), then marks the run reaped. */
    private static Set<ProcessHandle> fromPidFiles(Path run) {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        try (DirectoryStream<Path> workloads = Files.newDirectoryStream(run, Files::isDirectory)) {
            for (Path workload : workloads) {
                Path pidFile = workload.resolve(RunDirectory.PID_FILE);
                if (!Files.exists(pidFile)) {
                    continue;
                }
                Optional<RunOwner> recorded = RunOwner.parse(Files.readString(pidFile).strip() + " " + hostOf());
                recorded.filter(r -> !r.isGoneFromThisHost())
                        .flatMap(r -> ProcessHandle.of(r.pid()))
                        .ifPresent(found::add);
                Files.deleteIfExists(pidFile);
            }
            Files.deleteIfExists(run.resolve(RunDirectory.OWNER_FILE));
        } catch (IOException e) {
            LOG.debug("could not read pid files under {}", run, e);
        }
        return found;
    }

    private static String hostOf() {
        return RunOwner.current().host();
    }

    /** Members of cgroups of runs whose owner is gone (or whose run was closed: then they are strays). */
    private static Set<ProcessHandle> staleCgroupMembers(CgroupHierarchy cgroups) {
        Set<ProcessHandle> members = new LinkedHashSet<>();
        for (Path run : staleCgroupRuns(cgroups)) {
            try (DirectoryStream<Path> workloads = Files.newDirectoryStream(run, Files::isDirectory)) {
                for (Path workload : workloads) {
                    members.addAll(ProcessTree.handles(WorkloadCgroup.membersOf(workload)));
                }
            } catch (IOException e) {
                LOG.debug("could not list {}", run, e);
            }
        }
        return members;
    }

    private static void removeStaleCgroups(CgroupHierarchy cgroups) {
        for (Path run : staleCgroupRuns(cgroups)) {
            WorkloadCgroup.removeDir(run);
        }
    }

    private static Set<Path> staleCgroupRuns(CgroupHierarchy cgroups) {
        Set<Path> stale = new LinkedHashSet<>();
        for (Path parent : cgroups.parents()) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (DirectoryStream<Path> runs = Files.newDirectoryStream(parent, Files::isDirectory)) {
                for (Path run : runs) {
                    Path runDir = RunDirectory.runsRoot().resolve(run.getFileName().toString());
                    // a live run always has its owner file; without one the run is closed or its owner died
                    if (!Files.exists(runDir.resolve(RunDirectory.OWNER_FILE)) || ownerIsGone(runDir)) {
                        stale.add(run);
                    }
                }
            } catch (IOException e) {
                LOG.debug("could not list {}", parent, e);
            }
        }
        return stale;
    }

    private static void killUntilGone(Set<ProcessHandle> processes) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessTree.anyAlive(processes) && System.nanoTime() < deadline) {
            ProcessTree.signal(processes, true);
            WorkloadCgroup.sleepQuietly(10);
        }
    }

    private static void pruneRunDirectories(Path runs) {
        if (!Files.isDirectory(runs)) {
            return;
        }
        Instant cutoff = Instant.now().minus(KEEP_LOGS);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs, Files::isDirectory)) {
            for (Path run : dirs) {
                if (!Files.exists(run.resolve(RunDirectory.OWNER_FILE))
                        && Files.getLastModifiedTime(run).toInstant().isBefore(cutoff)) {
                    LocalProcessWorkload.deleteRecursively(run);
                }
            }
        } catch (IOException e) {
            LOG.debug("could not prune {}", runs, e);
        }
    }
}
