package dev.dyno.longtail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.runtime.ProcessRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Running a task set under a policy")
class TaskSetRunnerTests {

    private static final PlanContext CONTEXT = new PlanContext(2, Map.of(), 0);

    @TempDir
    Path original;

    @TempDir
    Path root;

    private ProcessRuntime runtime;
    private long processesBefore;

    @BeforeEach
    void open() {
        processesBefore = ProcessHandle.current().descendants().count();
        runtime = ProcessRuntime.open();
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private TaskSetRunner runner(TaskSet set, Duration timeout) {
        return new TaskSetRunner(runtime, set.withOriginalCwd(original), root, 2, timeout);
    }

    private long processesNow() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    }

    @Test
    @DisplayName("runs setup with $ORIGINAL_CWD in each task's own directory, and really runs cleanup")
    void setupAndCleanup() throws IOException {
        Files.createDirectories(original.resolve("assets"));
        Files.writeString(original.resolve("assets/input.txt"), "payload");
        TaskSet set = TaskSet.of("files", 3, "grep -q payload input.txt", 1, "grep -q payload input.txt")
                .withSetup(List.of("cp $ORIGINAL_CWD/assets/input.txt .", "pwd >> $ORIGINAL_CWD/setup.log"))
                .withCleanup(List.of("rm input.txt", "test ! -e input.txt && pwd >> $ORIGINAL_CWD/cleanup.log"));

        PolicyRun run = runner(set, Duration.ofSeconds(30)).run(new DefaultPolicy(), 0, CONTEXT);

        List<String> setupDirs = Files.readAllLines(original.resolve("setup.log"));
        assertThat(setupDirs).hasSize(4).doesNotHaveDuplicates()
                .allSatisfy(d -> assertThat(Path.of(d).getFileName().toString()).matches("short-0[1-3]|long-1"));
        assertThat(Files.readAllLines(original.resolve("cleanup.log"))).containsExactlyInAnyOrderElementsOf(setupDirs);
        assertThat(run.tasks()).hasSize(4).allSatisfy(t -> assertThat(t.exitCode()).isZero());
        // the run's directories are gone; $DYNO_SHARED_DIR stays for the experiment's next runs, and goes with the root
        assertThat(root).isDirectoryContaining(p -> p.getFileName().toString().equals("shared"));
        try (var left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("shared");
        }
        assertThat(root.resolve("shared")).isEmptyDirectory();
    }

    @Test
    @DisplayName("the long-tail-aware policy launches the long task first, and /proc shows its lower nice value")
    void longTaskFirstWithPriority() {
        TaskSet set = TaskSet.of("sleepers", 3, "./short 0.6", 1, "./long 0.6")
                .withSetup(List.of("ln -s \"$(command -v sleep)\" short && ln -s \"$(command -v sleep)\" long"));

        PolicyRun longFirst = runner(set, Duration.ofSeconds(30)).run(new LongTailAwarePolicy(), 0, CONTEXT);
        PolicyRun allAtOnce = runner(set, Duration.ofSeconds(30)).run(new DefaultPolicy(), 1, CONTEXT);

        TaskRecord longTask = longFirst.task("long-1");
        assertThat(longFirst.tasks().get(0).id()).isEqualTo("long-1");
        assertThat(longFirst.tasks(TaskSpec.Kind.SHORT)).allSatisfy(s -> {
            assertThat(s.start()).isGreaterThanOrEqualTo(longTask.start());
            assertThat(s.nice()).as("nice of %s read from /proc", s.id()).isGreaterThan(longTask.nice());
        });
        assertThat(longTask.nice()).isEqualTo(isRoot() ? LongTailAwarePolicy.LONG_NICE : 0);
        if (longTask.cpuWeightDetail().startsWith("cpu.")) {
            assertThat(longTask.cpuWeightDetail()).isIn("cpu.shares=102400", "cpu.weight=10000");
        }
        assertThat(allAtOnce.tasks()).allSatisfy(t -> assertThat(t.nice()).isZero());
        assertThat(allAtOnce.tasks().get(allAtOnce.tasks().size() - 1).id()).isEqualTo("long-1");
        assertThat(longFirst.longRunning()).as("sampled through /proc for 0.6 s").isNotEmpty();
    }

    @Test
    @DisplayName("a task that exits non-zero fails the run, naming it, and stops the others")
    void nonZeroExit() {
        TaskSet set = TaskSet.of("failing", 2, "echo 'disk on fire' >&2; exit 3", 1, "sleep 30");

        assertThatThrownBy(() -> runner(set, Duration.ofSeconds(30)).run(new DefaultPolicy(), 0, CONTEXT))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("exited with 3; the other tasks were stopped")
                .hasMessageContaining("disk on fire");
        assertThat(processesNow()).isEqualTo(processesBefore);
    }

    @Test
    @DisplayName("a task still running at the timeout fails the run, naming it, and nothing is left running")
    void hangsPastTimeout() {
        TaskSet set = TaskSet.of("hanging", 2, "true", 1, "sleep 60");
        long started = System.nanoTime();

        assertThatThrownBy(() -> runner(set, Duration.ofSeconds(1)).run(new DefaultPolicy(), 0, CONTEXT))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("1 task(s) still running after the timeout of 1.00s: long-1 (`sleep 60`)")
                .hasMessageContaining("were stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(processesNow()).isEqualTo(processesBefore);
    }

    @Test
    @DisplayName("a command that cannot start fails with the shell's reason")
    void cannotStart() {
        TaskSet set = TaskSet.of("typo", 1, "no-such-program-dyno --help", 0, "");

        assertThatThrownBy(() -> runner(set, Duration.ofSeconds(30)).run(new DefaultPolicy(), 0, CONTEXT))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("exited with 127 (the shell found no such command)")
                .hasMessageContaining("no-such-program-dyno: command not found");
        assertThat(processesNow()).isEqualTo(processesBefore);
    }

    @Test
    @DisplayName("a failing setup command fails before any task starts, and cleanup still runs")
    void failingSetup() {
        TaskSet set = TaskSet.of("setup", 1, "true", 0, "")
                .withSetup(List.of("cp $ORIGINAL_CWD/assets/absent.txt ."))
                .withCleanup(List.of("touch $ORIGINAL_CWD/cleaned"));

        assertThatThrownBy(() -> runner(set, Duration.ofSeconds(30)).run(new DefaultPolicy(), 0, CONTEXT))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("setup of task short-01 (policy default")
                .hasMessageContaining("`cp $ORIGINAL_CWD/assets/absent.txt .` exited with 1");
        assertThat(original.resolve("cleaned")).exists();
    }

    @Test
    @DisplayName("a plan that leaves a task out is refused before anything starts")
    void incompletePlan() {
        TaskSet set = TaskSet.of("plan", 2, "true", 0, "");
        SchedulingPolicy lazy = new SchedulingPolicy() {
            @Override
            public String name() {
                return "lazy";
            }

            @Override
            public List<TaskLaunch> plan(TaskSet taskSet, PlanContext context) {
                return List.of(TaskLaunch.of(taskSet.tasks().get(0)));
            }
        };

        assertThatThrownBy(() -> runner(set, Duration.ofSeconds(30)).run(lazy, 0, CONTEXT))
                .hasMessage("policy lazy left out tasks [short-02]: a plan launches every task of the set exactly once");
    }

    @Test
    @DisplayName("a policy's CPU pinning is applied with taskset")
    void pinning() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs 2 CPUs");
        TaskSet set = TaskSet.of("pinned", 1, "grep Cpus_allowed_list /proc/self/status | grep -qw 1", 0, "");
        SchedulingPolicy pinToCpu1 = new SchedulingPolicy() {
            @Override
            public String name() {
                return "cpu1";
            }

            @Override
            public List<TaskLaunch> plan(TaskSet taskSet, PlanContext context) {
                return List.of(TaskLaunch.of(taskSet.tasks().get(0)).withCpus(List.of(1)));
            }
        };

        PolicyRun run = runner(set, Duration.ofSeconds(30)).run(pinToCpu1, 0, CONTEXT);

        assertThat(run.tasks().get(0).cpus()).containsExactly(1);
        assertThat(run.tasks().get(0).exitCode()).isZero();
    }

    private static boolean isRoot() {
        return Pattern.compile("(?m)^Uid:\\s+\\d+\\s+0\\s").matcher(readStatus()).find();
    }

    private static String readStatus() {
        try {
            return Files.readString(Path.of("/proc/self/status"));
        } catch (IOException e) {
            return "";
        }
    }
}
