package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.PerfTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @CpuBoost} asks whether giving a workload more CPU while it starts shortens its start-up,
 * the way Backend.AI's CPU boost and Kubernetes' kube-startup-cpu-boost do: each workload starts
 * with {@code baseCpus × factor} CPUs, is set back to {@code baseCpus} live at the boost's
 * deadline (or at readiness, whichever comes first), and is compared with unboosted starts run
 * interleaved with it. The test gets a {@link CpuBoostRun}: every start's phases, when the boost
 * was applied and restored, the CPU it used before and after, whether restoration is proven by the
 * CPU it used, and each configuration's improvement over the baseline with a 95 % confidence
 * interval. It is a {@link PerfTest}: a {@code Recorder} parameter, {@link #thresholds()} and
 * reports come with it.
 *
 * <pre>{@code
 * @CpuBoost(workloads = {"java-load-test", "nodejs-heavy-modules"}, baseCpus = 0.5,
 *         configurations = {"baseline", "2x/60s", "3x/60s"}, repetitions = 3)
 * void startUpIsFasterWithABoost(CpuBoostRun run) {
 *     assertThat(run.improvement("java-load-test", "boost-2x")).isAtLeast(0.20);   // the interval's lower end
 *     assertThat(run).everyBoostRestored();
 * }
 * }</pre>
 *
 * <h2>Workloads</h2>
 * {@link #workloads()} names workloads of a {@code WorkloadCatalog} (each a test case of the
 * guide); or {@link #image()} and {@link #command()} give one. A workload reports its own phases
 * by printing {@code === METRICS_JSON ===} and a JSON object ({@code *_time} fields in seconds,
 * {@code *_ms} in milliseconds): its {@code total_time} is the start-up time compared, and every
 * other timing is compared as a phase. Without {@code total_time}, the time from start to exit
 * (or to readiness, with {@link #untilReady()}) is.
 *
 * <h2>Configurations</h2>
 * {@code "baseline"} (no boost) and {@code "<factor>x/<duration>"} such as {@code "2x/60s"}; a
 * configuration's id is {@code boost-<factor>x} (with the duration added when two share a factor).
 * {@code {"guide"}} is the guide's table: baseline, 1.5x/30s, 2x/60s, 3x/60s, 5x/120s. A boost
 * larger than the machine is capped at the machine's CPUs, and the report says so.
 *
 * <h2>Side effects</h2>
 * {@link #concurrent()} starts several boosted workloads at once (the guide's concurrent-start
 * check: completion spread, total CPU over time); host memory and swap are sampled throughout
 * (the guide's memory-pressure warnings); a workload that prints {@code iterations} (pairs of start
 * time and duration, as {@code workloads/cpuboost/python/cpu_restoration_test.py} does) gets its
 * slowdown after restoration measured (the guide's restoration check).
 *
 * <h2>Metrics</h2>
 * Per workload {@code W} and configuration {@code C}: timers {@code cpuboost.W.C.total} and
 * {@code cpuboost.W.C.<phase>}; gauges {@code cpuboost.W.C.improvement} (fraction, with
 * {@code .lower} and {@code .upper}), {@code cpuboost.W.C.peak_cpu}, {@code cpuboost.W.C.restored}
 * (share of boosted starts whose restoration is proven); gauges {@code cpuboost.host.max_memory_percent},
 * {@code cpuboost.host.max_swap_percent}. With {@link #recordJvm()}: timers
 * {@code cpuboost.W.C.jvm.jit_time}, {@code cpuboost.W.C.jvm.class_loading_time} and
 * {@code cpuboost.W.C.jvm.gc_pause_time} (one value per start), gauges {@code cpuboost.W.C.jvm.compilations}
 * and {@code cpuboost.W.C.jvm.classes_loaded} (means over the starts).
 *
 * <h2>The workload's JVM</h2>
 * {@link #recordJvm()} records every start's JVM with JDK Flight Recorder and answers why a boost
 * helps a JVM's start-up with its own figures: the report's table "JVM of the workload (JFR): base
 * vs boosted" (JIT compilation time and count, classes loaded, class-loading time, GC pauses),
 * each start's {@code .jfr} attached and kept under the results directory's {@code cpuboost/}, and
 * {@link CpuBoostRun#jvm(String, String)} for assertions.
 *
 * @since 0.1
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@PerfTest
@ExtendWith(CpuBoostExtension.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface CpuBoost {

    /** Workloads by {@code WorkloadCatalog} name, such as {@code "java-load-test"}; or give {@link #image()}/{@link #command()}. */
    String[] workloads() default {};

    /** The image of a workload given here rather than by name (with {@link #command()}, or its own command). */
    String image() default "";

    /** The command of a workload given here rather than by name. */
    String[] command() default {};

    /** Arguments appended to every workload's command. */
    String[] args() default {};

    /** The CPUs a workload has when not boosted, in (fractional) cores; more than 0, at most the machine's. */
    double baseCpus() default 1.0;

    /**
     * The configurations to compare: {@code "baseline"}, {@code "<factor>x/<duration>"} such as
     * {@code "2x/60s"}, or {@code {"guide"}} for the guide's table. Must include {@code "baseline"}.
     */
    String[] configurations() default {"baseline", "2x/60s"};

    /**
     * The configurations in full mode ({@code -Pperf}, {@code dyno.mode=full}), such as
     * {@code {"guide"}}; empty for {@link #configurations()}.
     */
    String[] fullConfigurations() default {};

    /**
     * Restore at readiness or at the deadline, whichever comes first (kube-startup-cpu-boost's
     * {@code PodCondition} policy), instead of at the deadline only. Readiness is {@link #readyWhen()}.
     */
    boolean untilReady() default false;

    /**
     * When the workload is ready: {@code "log:<regex>"} (a line of its output), {@code "http:<url>"}
     * (answers 200), {@code "metrics-json"} (printed its METRICS_JSON) or {@code "exit"}; empty for
     * the workload's own readiness from its catalog entry.
     */
    String readyWhen() default "";

    /**
     * For a workload that does not exit on its own (a server): how long it keeps running after it
     * is ready before Dyno stops it, such as {@code "3s"} (long enough to see the CPU after a
     * restore at readiness). Its start-up is then the time to readiness, unless it reports a
     * {@code total_time}. Empty: wait for the workload to exit.
     */
    String runAfterReady() default "";

    /** Starts of each workload in each configuration in CI mode; at least 2 (an interval needs two). */
    int repetitions() default 3;

    /** Starts of each workload in each configuration in full mode ({@code -Pperf}, {@code dyno.mode=full}). */
    int fullRepetitions() default 5;

    /**
     * At most this many starts of each workload in each configuration, in either mode: after
     * {@link #repetitions()} (or {@link #fullRepetitions()}), Dyno adds one round at a time while the
     * 95 % interval of any boosted configuration's start-up improvement is wider than
     * &plusmn;{@link #precision()}, so that one disturbed start on a busy machine costs a round
     * more, not the verdict. It stops on the interval's width, never on whether an assertion
     * would pass, so the extra rounds do not bend the estimate towards either answer. 0 (the
     * default): exactly {@code repetitions}.
     *
     * @since 0.3
     */
    int maxRepetitions() default 0;

    /**
     * The half-width of the improvement's 95 % interval at which {@link #maxRepetitions()} stops
     * adding rounds, as a fraction: 0.10 is &plusmn;10 percentage points.
     *
     * @since 0.3
     */
    double precision() default 0.10;

    /** The pause after each start, so one start's after-effects (page cache, CPU heat) do not fall on the next. */
    String cooldown() default "0s";

    /** Workloads started at once in each start (the guide's concurrent-start check uses 5). */
    int concurrent() default 1;

    /** {@code "auto"} (Docker when an engine answers, else local processes), {@code "docker"} or {@code "process"}. */
    String runtime() default "auto";

    /** How long one start may take before it is stopped and the test fails. */
    String timeout() default "5m";

    /**
     * How much CPU above {@link #baseCpus()} a workload may use after restoration for the
     * restoration to count as proven: 0.15 allows up to 1.15 × base.
     */
    double restoreTolerance() default 0.15;

    /**
     * Records every start's JVM with JDK Flight Recorder ({@code -XX:StartFlightRecording} through
     * {@code JAVA_TOOL_OPTIONS}, so any command that starts a Java 17+ JVM, as a process or in a
     * container, without changing it; see {@code WorkloadSpec.withJvmRecording()}). The recording
     * costs the JVM about a second of CPU at start, in every configuration alike: it makes each
     * start longer, so compare recorded starts with recorded ones only. A workload that is no JVM
     * has no recording, and the report says so.
     *
     * @since 0.2
     */
    boolean recordJvm() default false;

    /** Thresholds on the metrics above, as in {@link PerfTest#thresholds()}. */
    String[] thresholds() default {};
}
