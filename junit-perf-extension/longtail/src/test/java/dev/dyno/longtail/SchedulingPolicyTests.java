package dev.dyno.longtail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.stats.Estimate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Scheduling policies")
class SchedulingPolicyTests {

    private static final TaskSet CTEST = SchedcpCases.read(SchedcpCasesTests.SIZED).taskSet("ctest_suite", 4, 1);
    private static final PlanContext FIRST_RUN = new PlanContext(2, Map.of(), 0);

    @Test
    @DisplayName("DEFAULT starts every task at once, in the set's order, at the OS defaults")
    void allAtOnce() {
        List<TaskLaunch> plan = new DefaultPolicy().plan(CTEST, FIRST_RUN);

        assertThat(plan).extracting(l -> l.task().id()).containsExactly("short-01", "short-02", "short-03", "short-04",
                "long-1");
        assertThat(plan).allSatisfy(l -> {
            assertThat(l.nice()).isZero();
            assertThat(l.cpuWeight()).isEqualTo(TaskLaunch.DEFAULT_CPU_WEIGHT);
            assertThat(l.delay()).isZero();
            assertThat(l.cpus()).isEmpty();
        });
    }

    @Test
    @DisplayName("the long-tail-aware policy starts the task named long first, with a lower nice and the largest weight")
    void longFirstByName() {
        List<TaskLaunch> plan = new LongTailAwarePolicy().plan(CTEST, FIRST_RUN);

        assertThat(plan.get(0).task().id()).isEqualTo("long-1");
        assertThat(plan.get(0).nice()).isEqualTo(LongTailAwarePolicy.LONG_NICE).isNegative();
        assertThat(plan.get(0).cpuWeight()).isEqualTo(TaskLaunch.MAX_CPU_WEIGHT);
        assertThat(plan.get(0).reason()).startsWith("long: program 'long' matches");
        assertThat(plan.subList(1, plan.size())).allSatisfy(l -> {
            assertThat(l.task().kind()).isEqualTo(TaskSpec.Kind.SHORT);
            assertThat(l.nice()).isZero();
            assertThat(l.cpuWeight()).isEqualTo(TaskLaunch.DEFAULT_CPU_WEIGHT);
        });
    }

    @Test
    @DisplayName("identifying by learned runtime finds the long task whatever its name, once it has run")
    void longFirstByLearnedRuntime() {
        TaskSet anonymous = TaskSet.of("anonymous", 3, "python3 work.py 1", 1, "python3 work.py 9");
        LongTailAwarePolicy policy = new LongTailAwarePolicy(Pattern.compile(LongTailAwarePolicy.DEFAULT_PATTERN),
                LongTailAwarePolicy.Identification.LEARNED_RUNTIME);
        PlanContext learned = new PlanContext(2, Map.of("short-01", Duration.ofMillis(100), "short-02",
                Duration.ofMillis(110), "short-03", Duration.ofMillis(90), "long-1", Duration.ofMillis(900)), 1);

        List<TaskLaunch> firstRun = policy.plan(anonymous, FIRST_RUN);
        List<TaskLaunch> laterRun = policy.plan(anonymous, learned);

        assertThat(firstRun).as("no name matches and nothing is learned yet").allSatisfy(l -> assertThat(l.nice()).isZero());
        assertThat(laterRun.get(0).task().id()).isEqualTo("long-1");
        assertThat(laterRun.get(0).nice()).isEqualTo(LongTailAwarePolicy.LONG_NICE);
        assertThat(laterRun.get(0).reason()).startsWith("long: 0.90s of CPU earlier");
        assertThat(laterRun.subList(1, 4)).allSatisfy(l -> assertThat(l.nice()).isZero());
    }

    @Test
    @DisplayName("sched_ext is reported unavailable on a kernel without it")
    void schedExtUnavailable() {
        SchedExtPolicy policy = new SchedExtPolicy("./loader x.bpf.o", Path.of("/nonexistent/sched_ext"));

        assertThat(policy.unavailableReason()).hasValueSatisfying(reason ->
                assertThat(reason).startsWith("unavailable: this kernel has no sched_ext"));
        assertThat(new SchedExtPolicy("", Path.of("/")).unavailableReason()).hasValueSatisfying(reason ->
                assertThat(reason).contains("no BPF scheduler loader given"));
    }

    @Test
    @DisplayName("improvement over DEFAULT is 1 − the typical per-round ratio, with an interval around it")
    void improvement() {
        List<Duration> baseline = List.of(Duration.ofMillis(3000), Duration.ofMillis(3100), Duration.ofMillis(2900),
                Duration.ofMillis(3050));
        List<Duration> variant = List.of(Duration.ofMillis(2000), Duration.ofMillis(2100), Duration.ofMillis(2050),
                Duration.ofMillis(1990));

        Estimate improvement = PolicyComparison.compare("default", baseline, "long-tail-aware", variant).improvement();

        double meanLogRatio = (Math.log(2000 / 3000.0) + Math.log(2100 / 3100.0) + Math.log(2050 / 2900.0)
                + Math.log(1990 / 3050.0)) / 4;   // 4 rounds: too few to trim
        assertThat(improvement.point()).isCloseTo(1 - Math.exp(meanLogRatio), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(improvement.lower()).isLessThanOrEqualTo(improvement.point()).isGreaterThan(0.2);
        assertThat(improvement.upper()).isGreaterThanOrEqualTo(improvement.point()).isLessThan(0.45);
    }

    @Test
    @DisplayName("a launch rejects a nice value or weight the kernel does not have")
    void launchBounds() {
        TaskSpec task = CTEST.tasks().get(0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TaskLaunch.of(task).withNice(-21))
                .hasMessageContaining("nice -21 is not allowed; -20 to 19");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TaskLaunch.of(task).withCpuWeight(0))
                .hasMessageContaining("CPU weight 0 is not allowed; 1 to 10000");
    }
}
