package dev.dyno.longtail;

import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@link BuiltInPolicy#SCHED_EXT}: an external BPF scheduler (such as one of schedcp's, through its
 * loader) takes over the CPU scheduler while the tasks run, all started at once as under
 * {@link BuiltInPolicy#DEFAULT}. Needs a kernel with sched_ext ({@value #SCHED_EXT_DIR}) and a loader
 * command; the loader runs for the duration of each run and counts as ready once the kernel says
 * a BPF scheduler is enabled.
 */
final class SchedExtPolicy implements SchedulingPolicy {

    static final String NAME = "sched-ext";
    static final String SCHED_EXT_DIR = "/sys/kernel/sched_ext";
    private static final Duration ENABLE_TIMEOUT = Duration.ofSeconds(30);

    private final String loader;
    private final Path schedExtDir;

    SchedExtPolicy(String loader) {
        this(loader, Path.of(SCHED_EXT_DIR));
    }

    SchedExtPolicy(String loader, Path schedExtDir) {
        this.loader = loader == null ? "" : loader.strip();
        this.schedExtDir = schedExtDir;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        if (!Files.isDirectory(schedExtDir)) {
            return Optional.of("unavailable: this kernel has no sched_ext (" + schedExtDir + " does not exist; "
                    + "sched_ext needs Linux 6.12 or later built with CONFIG_SCHED_CLASS_EXT)");
        }
        if (loader.isEmpty()) {
            return Optional.of("unavailable: no BPF scheduler loader given; name one in "
                    + "@LongTailScheduler(schedExtLoader), such as \"./schedulers/loader compression.bpf.o\"");
        }
        return Optional.empty();
    }

    @Override
    public List<TaskLaunch> plan(TaskSet taskSet, PlanContext context) {
        return taskSet.tasks().stream().map(t -> TaskLaunch.of(t).because("started at once under the BPF scheduler"))
                .toList();
    }

    @Override
    public AutoCloseable activate(WorkloadRuntime runtime) throws Exception {
        RunningWorkload loaderProcess = runtime.start(WorkloadSpec.ofCommand("bash", "-c", loader).withName("sched-ext-loader")
                .withReadiness(Readiness.started()));
        long deadline = System.nanoTime() + ENABLE_TIMEOUT.toNanos();
        Path state = schedExtDir.resolve("state");
        while (!"enabled".equals(Files.exists(state) ? Files.readString(state).strip() : "")) {
            if (!loaderProcess.isRunning() || System.nanoTime() > deadline) {
                loaderProcess.stop();
                throw new TaskFailedException("the sched_ext loader \"" + loader + "\" did not enable a BPF scheduler within "
                        + ENABLE_TIMEOUT.toSeconds() + "s (" + state + "; loader output: " + loaderProcess.stderr() + ")");
            }
            Thread.sleep(50);
        }
        return loaderProcess::stop;
    }
}
