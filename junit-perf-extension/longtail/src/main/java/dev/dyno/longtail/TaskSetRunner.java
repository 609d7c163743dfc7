package dev.dyno.longtail;

import dev.dyno.host.ProcessStat;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a task set once under one policy: each task in a fresh directory of its own, its setup
 * commands first (untimed, tasks in parallel on the cores), then the launches the policy plans,
 * then, whatever happened, the cleanup commands and the removal of the directories. Every
 * process goes through the {@link WorkloadRuntime}, so none outlives the run.
 */
final class TaskSetRunner {

    static final String ORIGINAL_CWD_ENV = "ORIGINAL_CWD";
    /**
     * A directory that lives for the whole experiment, every run of every policy, for what setup
     * commands would otherwise make again for each run: a large input file, made once and linked
     * into each task's directory. Setup commands of one run run in parallel, so a shared file is
     * made under {@code flock}.
     */
    static final String SHARED_DIR_ENV = "DYNO_SHARED_DIR";
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(50);

    private final WorkloadRuntime runtime;
    private final TaskSet taskSet;
    private final Path root;
    private final int cores;
    private final Duration timeout;
    private final boolean privileged;

    TaskSetRunner(WorkloadRuntime runtime, TaskSet taskSet, Path root, int cores, Duration timeout) {
        this.runtime = runtime;
        this.taskSet = taskSet;
        this.root = root;
        this.cores = cores;
        this.timeout = timeout;
        this.privileged = mayLowerNice();
    }

    /** The CPUs this JVM (and so each task) may run on. */
    static int availableCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    PolicyRun run(SchedulingPolicy policy, int round, PlanContext context) {
        Path runDir = root.resolve(policy.name() + "-r" + round);
        Map<TaskSpec, Path> dirs = new LinkedHashMap<>();
        RuntimeException failure = null;
        try {
            for (TaskSpec task : taskSet.tasks()) {
                dirs.put(task, Files.createDirectories(runDir.resolve(task.id())));
            }
            forEachTaskInParallel(dirs, "setup", TaskSpec::setup, policy);
            List<TaskLaunch> plan = checked(policy, policy.plan(taskSet, context));
            try (AutoCloseable active = policy.activate(runtime)) {
                return launchAndAwait(policy, round, plan, dirs);
            }
        } catch (IOException e) {
            failure = new UncheckedIOException("could not prepare the run directory " + runDir + ": " + e.getMessage(), e);
            throw failure;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } catch (Exception e) {
            failure = new TaskFailedException("policy " + policy.name() + " could not be activated: " + e.getMessage(), e);
            throw failure;
        } finally {
            try {
                forEachTaskInParallel(dirs, "cleanup", TaskSpec::cleanup, policy);
            } catch (RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            } finally {
                deleteQuietly(runDir);
            }
        }
    }

    private List<TaskLaunch> checked(SchedulingPolicy policy, List<TaskLaunch> plan) {
        Set<String> planned = new HashSet<>();
        for (TaskLaunch launch : plan) {
            if (!taskSet.tasks().contains(launch.task()) || !planned.add(launch.task().id())) {
                throw new TaskFailedException("policy " + policy.name() + " planned task " + launch.task().id()
                        + (planned.contains(launch.task().id()) ? " twice" : ", which is not in the task set")
                        + ": a plan launches every task of the set exactly once");
            }
            for (int cpu : launch.cpus()) {
                if (cpu >= cores) {
                    throw new TaskFailedException("policy " + policy.name() + " pins task " + launch.task().id()
                            + " to CPU " + cpu + ", but the tasks have CPUs 0.." + (cores - 1));
                }
            }
        }
        if (planned.size() != taskSet.tasks().size()) {
            List<String> missing = taskSet.tasks().stream().map(TaskSpec::id).filter(id -> !planned.contains(id)).toList();
            throw new TaskFailedException("policy " + policy.name() + " left out tasks " + missing
                    + ": a plan launches every task of the set exactly once");
        }
        return plan;
    }

    /** Setup or cleanup: each task's commands in order, tasks in parallel, one bash per command. */
    private void forEachTaskInParallel(Map<TaskSpec, Path> dirs, String step,
            java.util.function.Function<TaskSpec, List<String>> commands, SchedulingPolicy policy) {
        if (dirs.keySet().stream().allMatch(t -> commands.apply(t).isEmpty())) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, cores), daemon("dyno-longtail-" + step));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Map.Entry<TaskSpec, Path> entry : dirs.entrySet()) {
                futures.add(pool.submit(() -> {
                    for (String command : commands.apply(entry.getKey())) {
                        runToCompletion(step, entry.getKey(), entry.getValue(), command, policy);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new TaskFailedException(e.getCause().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException(step + " was interrupted", e);
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
    }

    /** {@value #SHARED_DIR_ENV}: inside the experiment's root, so it goes with it. */
    private Path sharedDir() {
        Path shared = root.resolve("shared");
        try {
            return Files.createDirectories(shared);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + shared, e);
        }
    }

    private void runToCompletion(String step, TaskSpec task, Path dir, String command, SchedulingPolicy policy) {
        WorkloadSpec spec = WorkloadSpec.ofCommand("bash", "-c", command).withName(step + "-" + task.id())
                .withWorkingDir(dir.toString()).withEnv(ORIGINAL_CWD_ENV, taskSet.originalCwd().toString())
                .withEnv(SHARED_DIR_ENV, sharedDir().toString())
                .withReadiness(Readiness.exit()).withReadinessTimeout(timeout);
        RunningWorkload workload;
        try {
            workload = runtime.start(spec);
        } catch (RuntimeException e) {
            throw new TaskFailedException(step + " of task " + task.id() + " (policy " + policy.name() + ") failed: `"
                    + command + "` " + e.getMessage(), e);
        }
        try {
            int code = workload.exitCode().orElse(-1);
            if (code != 0) {
                throw new TaskFailedException(step + " of task " + task.id() + " (policy " + policy.name() + ", in "
                        + dir + ") failed: `" + command + "` exited with " + code + explain(code) + tail(workload));
            }
        } finally {
            workload.close();
        }
    }

    private PolicyRun launchAndAwait(SchedulingPolicy policy, int round, List<TaskLaunch> plan, Map<TaskSpec, Path> dirs)
            throws IOException {
        int niceShift = privileged ? 0 : Math.max(0, -plan.stream().mapToInt(TaskLaunch::nice).min().orElse(0));
        List<Launched> launched = Collections.synchronizedList(new ArrayList<>());
        LinkedBlockingQueue<Launched> exits = new LinkedBlockingQueue<>();
        var sampler = Executors.newSingleThreadScheduledExecutor(daemon("dyno-longtail-proc-sampler"));
        // Launches with the same delay wait behind one gate and are released together, so that
        // "all at once" is not skewed by the milliseconds each process start takes.
        Map<Duration, List<TaskLaunch>> groups = new java.util.TreeMap<>();
        plan.forEach(l -> groups.computeIfAbsent(l.delay(), d -> new ArrayList<>()).add(l));
        List<StartGate> gates = new ArrayList<>();
        try {
            for (Map.Entry<Duration, List<TaskLaunch>> group : groups.entrySet()) {
                StartGate gate = StartGate.create(dirs.values().iterator().next().getParent().resolve(".gate-" + gates.size()));
                gates.add(gate);
                for (TaskLaunch launch : group.getValue()) {
                    Launched task = start(policy, launch, dirs.get(launch.task()), niceShift, gate);
                    launched.add(task);
                    task.exit.thenRun(() -> exits.add(task));
                }
                gate.awaitWaiting(launched.stream().filter(l -> group.getValue().contains(l.launch)).map(l -> l.pid).toList());
            }
            Optional<MachineLoad> loadBefore = MachineLoad.read();
            long t0 = System.nanoTime();
            long deadline = t0 + timeout.toNanos();
            int g = 0;
            for (Duration delay : groups.keySet()) {
                sleepUntil(t0 + delay.toNanos());
                long released = gates.get(g++).open();
                launched.stream().filter(l -> l.launch.delay().equals(delay)).forEach(l -> l.startNanos = released);
            }
            sampler.scheduleAtFixedRate(() -> launched.forEach(Launched::sample), 0, SAMPLE_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
            for (int done = 0; done < plan.size(); done++) {
                Launched task = exits.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (task == null) {
                    throw hung(policy, launched);
                }
                int code = task.workload.awaitExit(Duration.ofSeconds(5));
                if (code != 0) {
                    throw new TaskFailedException("task " + task.launch.task().id() + " (`" + task.launch.task().command()
                            + "`, policy " + policy.name() + ") exited with " + code + explain(code)
                            + "; the other tasks were stopped" + tail(task.workload));
                }
            }
            sampler.shutdownNow();
            awaitQuietly(sampler);
            long makespan = launched.stream().mapToLong(l -> l.endNanos).max().orElse(t0) - t0;
            Optional<MachineLoad> loadAfter = MachineLoad.read();
            List<TaskRecord> records = launched.stream().map(l -> l.record(t0)).toList();
            long ours = records.stream().mapToLong(r -> r.cpuTime().toNanos()).sum();
            Optional<Duration> others = loadBefore.flatMap(before -> loadAfter.map(after ->
                    Duration.ofNanos(Math.max(0, after.busyNanosSince(before) - ours))));
            return new PolicyRun(policy.name(), round, cores, Duration.ofNanos(makespan), records, others);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException("the run of policy " + policy.name() + " was interrupted", e);
        } finally {
            sampler.shutdownNow();
            for (Launched task : List.copyOf(launched)) {
                task.workload.kill();
                task.workload.close();
            }
            gates.forEach(StartGate::close);
            awaitQuietly(sampler);
        }
    }

    private Launched start(SchedulingPolicy policy, TaskLaunch launch, Path dir, int niceShift, StartGate gate) {
        TaskSpec task = launch.task();
        List<String> command = new ArrayList<>(gate.prefix());
        int nice = launch.nice() + niceShift;
        if (nice != 0) {
            command.addAll(List.of("nice", "-n", Integer.toString(nice)));
        }
        if (!launch.cpus().isEmpty()) {
            command.addAll(List.of("taskset", "-c",
                    launch.cpus().stream().map(String::valueOf).collect(Collectors.joining(","))));
        }
        command.addAll(List.of("bash", "-c", task.command()));
        WorkloadSpec spec = WorkloadSpec.ofCommand(command).withName(task.id()).withWorkingDir(dir.toString())
                .withEnv(ORIGINAL_CWD_ENV, taskSet.originalCwd().toString()).withEnv(SHARED_DIR_ENV, sharedDir().toString());
        RunningWorkload workload;
        try {
            workload = runtime.start(spec);
        } catch (RuntimeException e) {
            throw new TaskFailedException("task " + task.id() + " (`" + task.command() + "`, policy " + policy.name()
                    + ") could not start: " + e.getMessage(), e);
        }
        long pid = Long.parseLong(workload.id());
        CpuWeight.Applied weight = launch.cpuWeight() == TaskLaunch.DEFAULT_CPU_WEIGHT
                ? new CpuWeight.Applied(false, "OS default") : CpuWeight.apply(pid, launch.cpuWeight());
        return new Launched(launch, workload, pid, nice, weight);
    }

    private TaskFailedException hung(SchedulingPolicy policy, List<Launched> launched) {
        List<String> running = launched.stream().filter(l -> !l.exit.isDone())
                .map(l -> l.launch.task().id() + " (`" + l.launch.task().command() + "`)").toList();
        return new TaskFailedException("policy " + policy.name() + ": " + running.size() + " task(s) still running after "
                + "the timeout of " + dev.dyno.metrics.DurationText.format(timeout) + ": " + String.join(", ", running)
                + "; all " + launched.size() + " tasks of the run were stopped");
    }

    private static String explain(int code) {
        if (code == 127) {
            return " (the shell found no such command)";
        }
        if (code == 126) {
            return " (the command is not executable)";
        }
        if (code > 128 && code < 160) {
            return " (killed by signal " + (code - 128) + ")";
        }
        return "";
    }

    private static String tail(RunningWorkload workload) {
        String err = workload.stderr().strip();
        String out = workload.stdout().strip();
        String text = !err.isEmpty() ? err : out;
        if (text.isEmpty()) {
            return "";
        }
        List<String> lines = List.of(text.split("\n"));
        return "; last output:\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static boolean mayLowerNice() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst()
                    .map(l -> l.split("\\s+")[2].equals("0")).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[dyno] could not delete " + dir + ": " + e);
        }
    }

    /** A task that was started, watched through {@code /proc} until it exits. */
    private static final class Launched {
        final TaskLaunch launch;
        final RunningWorkload workload;
        final long pid;
        volatile long startNanos = -1;
        final CompletableFuture<Void> exit;
        final CpuWeight.Applied weight;
        volatile long endNanos;
        volatile long firstSeenNanos = -1;
        volatile long lastSeenNanos = -1;
        volatile long procCpuNanos;
        volatile int observedNice;

        Launched(TaskLaunch launch, RunningWorkload workload, long pid, int nice, CpuWeight.Applied weight) {
            this.launch = launch;
            this.workload = workload;
            this.pid = pid;
            this.observedNice = nice;
            this.weight = weight;
            CompletableFuture<Void> exited = ProcessHandle.of(pid).map(ProcessHandle::onExit)
                    .map(f -> f.thenAccept(h -> { }))
                    .orElseGet(() -> CompletableFuture.completedFuture(null));
            this.exit = exited.thenRun(() -> endNanos = System.nanoTime());
        }

        void sample() {
            long now = System.nanoTime();
            if (startNanos < 0 || exit.isDone()) {
                return;
            }
            ProcessStat.read(pid).filter(ProcessStat::alive).ifPresent(stat -> {
                if (firstSeenNanos < 0) {
                    firstSeenNanos = now;
                }
                lastSeenNanos = now;
                procCpuNanos = stat.cpuNanos();
                observedNice = stat.nice();
            });
        }

        TaskRecord record(long t0) {
            Duration cpu;
            try {
                cpu = workload.sample().cpuTime();
            } catch (RuntimeException e) {
                cpu = Duration.ofNanos(procCpuNanos);
            }
            if (cpu.isZero()) {
                cpu = Duration.ofNanos(procCpuNanos);
            }
            Duration observed = firstSeenNanos < 0 ? Duration.ZERO
                    : Duration.ofNanos(lastSeenNanos - firstSeenNanos);
            TaskSpec task = launch.task();
            return new TaskRecord(task.id(), task.kind(), task.program(), Duration.ofNanos(startNanos - t0),
                    Duration.ofNanos(endNanos - t0), cpu, workload.exitCode().orElse(-1), observedNice,
                    launch.cpuWeight(), weight.detail(), launch.cpus(), observed, launch.reason());
        }
    }
}
