package dev.dyno.examples.cpuboost;

import static dev.dyno.cpuboost.CpuBoostAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.config.RunMode;
import dev.dyno.cpuboost.BoostImprovement;
import dev.dyno.cpuboost.CpuBoost;
import dev.dyno.cpuboost.CpuBoostRun;
import dev.dyno.cpuboost.Restoration;
import dev.dyno.runtime.JvmRecording;
import dev.dyno.runtime.Runtimes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The CPU boost guide ({@code cpu-boost-testing.md}) as JUnit tests: does starting a container
 * with more CPU, restored afterwards, shorten its loading time; which workloads gain; and the
 * guide's three side-effect checks.
 *
 * <p>On a 2-core machine the base allocation is half a core, so that 2x and 3x boosts are real;
 * 5x is capped at the machine's 2 CPUs and the report says so. CI mode runs baseline, 2x and 3x;
 * {@code -Pperf} runs the guide's whole table.
 */
@DisplayName("CPU boost (guide: cpu-boost-testing.md)")
class CpuBoostTest {

    /** The tag of the cases that need images only a registry serves; excluded by default. */
    static final String REGISTRY_IMAGES = "registry-images";

    @CpuBoost(workloads = {CpuBoostWorkloads.JAVA_LOAD_TEST, CpuBoostWorkloads.NODEJS_HEAVY_MODULES,
                    CpuBoostWorkloads.PYTHON_BASELINE},
            baseCpus = 0.5, configurations = {"baseline", "2x/60s", "3x/60s"}, fullConfigurations = "guide",
            repetitions = 4, fullRepetitions = 5, timeout = "2m")
    @EnabledIf(value = "nodePackagesReachable", disabledReason = "the Node.js workload runs as a local process here "
            + "(no Docker engine, or dyno.runtime=process) and its packages are not installed: run workloads/cpuboost/node/install.sh, or "
            + "bash .ci/docker-up for the containers")
    @DisplayName("loading time by workload and boost configuration (the guide's matrix)")
    void loadingTime(CpuBoostRun run) {
        // The JVM's class loading and JIT are CPU-bound: the guide expects 20-40 %, at the lower end of the interval.
        assertThat(run.improvement(CpuBoostWorkloads.JAVA_LOAD_TEST, "boost-2x")).isAtLeast(0.20);
        // JIT-compiled phases gain too; the second computation runs compiled code, still CPU-bound.
        assertThat(run.improvement(CpuBoostWorkloads.JAVA_LOAD_TEST, "boost-2x", "first_computation_time"))
                .isAtLeast(0.10);
        // Node's module loading is CPU work as well (the guide guessed I/O: 10-20 %).
        assertThat(run.improvement(CpuBoostWorkloads.NODEJS_HEAVY_MODULES, "boost-2x")).isAtLeast(0.10);
        // The control: a start that needs next to no CPU has next to nothing to gain. Python's start takes some 50 ms
        // of CPU in one burst, which half a core's 50 ms quota per 100 ms period can hold back by at most one period;
        // as a share of a 0.1 s start that is anything from 0 to 30 % (measured: -5.6 %, 11.3 %, 28.5 %), so the
        // claim is in time, against the 1.3 s the JVM gains.
        BoostImprovement control = run.improvement(CpuBoostWorkloads.PYTHON_BASELINE, "boost-2x");
        assertThat(control.baselineMean().minus(control.boostedMean())).isLessThan(Duration.ofMillis(100));
        // The JVM sized itself at start: boosted JVMs saw more CPUs than baseline ones (kube-startup-cpu-boost's warning).
        assertThat(run.trials(CpuBoostWorkloads.JAVA_LOAD_TEST, "boost-2x"))
                .allSatisfy(t -> assertThat(t.cpuAllocated()).isPresent());
        assertThat(run).hasNoMemoryPressure();
    }

    // tag::jvm-recording[]
    // Why does a boost help a JVM start? The workload JVM's own flight recording, base against boosted. Recording costs
    // the JVM about a second of CPU at start (JFR starts itself), so this is a test of its own, not part of the matrix.
    @CpuBoost(workloads = CpuBoostWorkloads.JAVA_LOAD_TEST, baseCpus = 0.5, configurations = {"baseline", "2x/60s"},
            repetitions = 2, fullRepetitions = 5, recordJvm = true, timeout = "2m")
    @DisplayName("why a boost helps a JVM start: the workload JVM's own recording, base against boosted")
    void jvmRecording(CpuBoostRun run) {
        List<JvmRecording.Summary> base = run.jvm(CpuBoostWorkloads.JAVA_LOAD_TEST, "baseline");
        List<JvmRecording.Summary> boosted = run.jvm(CpuBoostWorkloads.JAVA_LOAD_TEST, "boost-2x");
        // The boost changes none of the work: the same classes are loaded, and the JIT compiles at least as much ...
        double classes = mean(base, jvm -> jvm.classesLoaded().orElseThrow());
        assertThat(boosted).allSatisfy(jvm -> assertThat((double) jvm.classesLoaded().orElseThrow())
                .isCloseTo(classes, withinPercentage(1)));
        assertThat(mean(boosted, JvmRecording.Summary::compilations))
                .isGreaterThanOrEqualTo(0.8 * mean(base, JvmRecording.Summary::compilations));
        // ... it gives that CPU-bound work (the main thread, the JIT compiler threads, JFR's own) more CPU, so the same
        // start takes less time, recording included (by how much, with its interval: loadingTime(), unrecorded).
        assertThat(run.improvement(CpuBoostWorkloads.JAVA_LOAD_TEST, "boost-2x").improvement().point()).isPositive();
        System.out.printf(Locale.ROOT, "[cpuboost] JVM recording, baseline → boost-2x: JIT %.0f → %.0f ms over %.0f → %.0f "
                + "compilations, class loading %.0f → %.0f ms, %.0f → %.0f classes%n",
                mean(base, jvm -> jvm.compilationTime().toMillis()), mean(boosted, jvm -> jvm.compilationTime().toMillis()),
                mean(base, JvmRecording.Summary::compilations), mean(boosted, JvmRecording.Summary::compilations),
                mean(base, jvm -> jvm.classLoadingTime().toMillis()), mean(boosted, jvm -> jvm.classLoadingTime().toMillis()),
                classes, mean(boosted, jvm -> jvm.classesLoaded().orElseThrow()));
    }
    // end::jvm-recording[]

    private static double mean(List<JvmRecording.Summary> jvms, ToDoubleFunction<JvmRecording.Summary> value) {
        return jvms.stream().mapToDouble(value).average().orElseThrow();
    }

    static boolean fullMode() {
        return RunMode.current() == RunMode.FULL;
    }

    /** Where the Node.js workload runs as a process, its packages must be on this machine. */
    static boolean nodePackagesReachable() {
        boolean processes = !Runtimes.dockerAvailable()
                || "process".equals(DynoConfiguration.current().runtime());
        return !processes || CpuBoostWorkloads.hostNodeModules().isPresent();
    }

    // tag::until-ready[]
    @CpuBoost(workloads = CpuBoostWorkloads.JVM_APP_STARTUP, baseCpus = 0.5,
            configurations = {"baseline", "2x/60s"}, untilReady = true, runAfterReady = "1500ms",
            repetitions = 3, fullRepetitions = 5, timeout = "3m")
    @DisplayName("a Spring Boot application's start-up, boosted until it is ready (kube-startup-cpu-boost's policy)")
    void applicationStartUpUntilReady(CpuBoostRun run) {
        assertThat(run.improvement(CpuBoostWorkloads.JVM_APP_STARTUP, "boost-2x")).isAtLeast(0.15);
        // The boost ended at readiness, not at the 60 s deadline. (Whether the CPU went back is proven in
        // restoration(): an application idle after start-up never presses against its limit, so its CPU use
        // cannot show which limit is in force, and Dyno says so instead of counting it as proven.)
        assertThat(run.trials(CpuBoostWorkloads.JVM_APP_STARTUP, "boost-2x")).allSatisfy(t -> {
            assertThat(t.restoration().trigger()).isEqualTo(Restoration.Trigger.READINESS);
            assertThat(t.restoration().after().orElseThrow()).isLessThan(java.time.Duration.ofSeconds(60));
        });
    }
    // end::until-ready[]

    // tag::restoration[]
    // Back-to-back iterations (each 0.2 s of work, the interval 0.1 s), unlike the guide's one a second: a workload
    // that idles most of each second fits a single iteration into one 100 ms quota period now and then, and then it
    // does not slow down at all; one that presses against its limit all the time slows down by the quota's ratio.
    @CpuBoost(workloads = CpuBoostWorkloads.CPU_RESTORATION, args = {"--seconds", "6", "--interval", "0.1"}, baseCpus = 0.5,
            configurations = {"baseline", "2x/3s"}, repetitions = 3, fullRepetitions = 5, restoreTolerance = 0.15)
    @DisplayName("restoration: the allocation goes back to base, and work slows down by about the boost factor")
    void restoration(CpuBoostRun run) {
        assertThat(run).everyBoostRestored()
                // the guide: "WARNING: Performance degradation exceeds expected boost factor!" above 2.5× for 2x; for the
                // typical start, since on a shared CI host one start in a few slowed 3-4x after its restore at 0.50 CPUs
                .typicalSlowdownAfterRestoreIsAtMost(2.5);
        assertThat(run.maxSlowdownAfterRestore().getAsDouble()).isGreaterThan(1.3);
    }
    // end::restoration[]

    // tag::concurrent[]
    @CpuBoost(workloads = CpuBoostWorkloads.JAVA_LOAD_TEST, baseCpus = 0.5, concurrent = 5,
            configurations = {"baseline", "2x/60s"}, repetitions = 2, fullRepetitions = 3, timeout = "3m")
    @DisplayName("concurrent starts: 5 boosted JVMs at once all finish, none starved")
    void concurrentStarts(CpuBoostRun run) {
        assertThat(run.trials()).hasSize(5 * 2 * 2).allSatisfy(t -> assertThat(t.total()).isPositive());
        assertThat(run).noStartStarved(2.0).hasNoMemoryPressure();
        // Five 1-CPU boosts on a 2-CPU machine: the boost cannot be given, so it cannot help much either.
        System.out.println("[cpuboost] 5 at once, boost-2x improvement: "
                + run.improvement(CpuBoostWorkloads.JAVA_LOAD_TEST, "boost-2x"));
    }
    // end::concurrent[]

    // Two of the guide's image cases on images built from Debian's packages: the guide's scripts,
    // verbatim, run for real here. At a base of half a core, as above: PyTorch's and the SciPy stack's
    // imports and first computations run on one thread, so a 1-CPU base would leave a 2x boost on a
    // 2-core machine nothing to give.

    // Three rounds, and more while the interval is wider than ±10 % (up to eight): PyTorch runs two threads (it sees
    // both CPUs) whose work waits on each other, so a start beside a busy neighbour can lose much of its boost. On a
    // quiet machine three starts each give ±3 %; in one CI run four gave 36.6 % ± 30.9 %, two boosted starts
    // slowed by half, which four starts could not tell from the boost's effect.
    @CpuBoost(workloads = CpuBoostWorkloads.PYTORCH_LOAD_DEBIAN, runtime = "docker", baseCpus = 0.5,
            configurations = {"baseline", "2x/60s"}, fullConfigurations = "guide", repetitions = 3, maxRepetitions = 8,
            fullRepetitions = 5, timeout = "3m")
    @DisplayName("PyTorch (the guide's script on Debian's python3-torch 1.13, dyno/pytorch:local)")
    void pytorchFromDebian(CpuBoostRun run) {
        // the guide expects 30-50 % for PyTorch's import and first computation
        assertThat(run.improvement(CpuBoostWorkloads.PYTORCH_LOAD_DEBIAN, "boost-2x")).isAtLeast(0.30);
        assertThat(run).hasNoMemoryPressure();
    }

    // Full mode only (-Pperf): 75 s of CI time for a second image case beside PyTorch's, where CI's 20 minutes are spent.
    @EnabledIf(value = "fullMode", disabledReason = "the second Debian image case runs with dyno.mode=full (-Pperf)")
    @CpuBoost(workloads = CpuBoostWorkloads.SCIPY_LOAD_DEBIAN, runtime = "docker", baseCpus = 0.5,
            configurations = {"baseline", "2x/60s"}, fullConfigurations = "guide", repetitions = 3,
            fullRepetitions = 5, timeout = "3m")
    @DisplayName("SciPy stack (the guide's script on Debian's numpy, pandas, scipy, scikit-learn, dyno/scipy:local)")
    void scipyFromDebian(CpuBoostRun run) {
        // the guide expects 15-25 % for the scientific stack
        assertThat(run.improvement(CpuBoostWorkloads.SCIPY_LOAD_DEBIAN, "boost-2x")).isAtLeast(0.15);
        assertThat(run).hasNoMemoryPressure();
    }

    // The guide's own images: defined, and run where a registry serves them. They are tagged
    // REGISTRY_IMAGES, which the example suites' build excludes by default (no registry here):
    // run them with -DexcludedGroups= (empty) where the images can be pulled.

    @Tag(REGISTRY_IMAGES)
    @CpuBoost(workloads = CpuBoostWorkloads.PYTORCH_LOAD, runtime = "docker", baseCpus = 1, fullConfigurations = "guide")
    @DisplayName("PyTorch (pytorch/pytorch:latest)")
    void pytorch(CpuBoostRun run) {
        assertThat(run.improvement(CpuBoostWorkloads.PYTORCH_LOAD, "boost-2x")).isAtLeast(0.30);
    }

    @Tag(REGISTRY_IMAGES)
    @CpuBoost(workloads = CpuBoostWorkloads.TENSORFLOW_LOAD, runtime = "docker", baseCpus = 1, fullConfigurations = "guide")
    @DisplayName("TensorFlow (tensorflow/tensorflow:latest)")
    void tensorflow(CpuBoostRun run) {
        assertThat(run.improvement(CpuBoostWorkloads.TENSORFLOW_LOAD, "boost-2x")).isAtLeast(0.30);
    }

    @Tag(REGISTRY_IMAGES)
    @CpuBoost(workloads = CpuBoostWorkloads.JULIA_LOAD, runtime = "docker", baseCpus = 1, fullConfigurations = "guide")
    @DisplayName("Julia (julia:latest)")
    void julia(CpuBoostRun run) {
        assertThat(run.improvement(CpuBoostWorkloads.JULIA_LOAD, "boost-2x")).isAtLeast(0.20);
    }

    @Tag(REGISTRY_IMAGES)
    @CpuBoost(workloads = CpuBoostWorkloads.SCIPY_LOAD, runtime = "docker", baseCpus = 1, fullConfigurations = "guide")
    @DisplayName("SciPy stack (jupyter/scipy-notebook:latest)")
    void scipy(CpuBoostRun run) {
        assertThat(run.improvement(CpuBoostWorkloads.SCIPY_LOAD, "boost-2x")).isAtLeast(0.15);
    }

    @Tag(REGISTRY_IMAGES)
    @CpuBoost(workloads = {CpuBoostWorkloads.BACKENDAI_PYTHON_PYTORCH, CpuBoostWorkloads.BACKENDAI_PYTHON_TENSORFLOW,
            CpuBoostWorkloads.BACKENDAI_NGC_TENSORFLOW}, runtime = "docker", baseCpus = 1, fullConfigurations = "guide")
    @DisplayName("Backend.AI images (lablup/python-pytorch, python-tensorflow, ngc-tensorflow)")
    void backendAiImages(CpuBoostRun run) {
        for (String workload : run.workloads()) {
            assertThat(run.improvement(workload, "boost-2x")).isAtLeast(0.25);
        }
    }
}
