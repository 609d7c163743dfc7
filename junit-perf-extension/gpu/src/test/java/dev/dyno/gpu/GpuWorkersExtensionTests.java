package dev.dyno.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import dev.dyno.PerfTest;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.config.SkipForbiddenException;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.DockerRuntime;
import dev.dyno.runtime.ProcessRuntime;
import dev.dyno.runtime.Runtimes;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadSpec;
import dev.dyno.view.Attachment;
import dev.dyno.view.Chart;
import dev.dyno.view.Series;
import dev.dyno.view.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;

@DisplayName("@GpuWorkers")
class GpuWorkersExtensionTests {

    static final String WORKER = "gpu-stress-under-test";
    static final AtomicReference<GpuRun> lastRun = new AtomicReference<>();
    static final AtomicReference<Recorder> lastRecorder = new AtomicReference<>();

    /** Reports CUDA_VISIBLE_DEVICES back, as a worker that checks its setup would. */
    static final String ECHO_WORKER = "echo \"worker $DYNO_GPU_WORKER CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES\"; "
            + "echo '=== METRICS_JSON ==='; "
            + "echo \"{\\\"operations\\\": 10, \\\"ops_per_sec\\\": 5, \\\"mode\\\": \\\"$DYNO_GPU_MODE\\\", "
            + "\\\"cuda_visible_devices\\\": \\\"$CUDA_VISIBLE_DEVICES\\\"}\"";

    @TempDir
    Path results;

    @BeforeAll
    static void registerWorker() {
        Path script = workerScript();
        // copied in, so that the same spec runs as a process and in a container
        WorkloadCatalog.register(WORKER, () -> WorkloadSpec.ofCommand("python3", "gpu_stress_worker.py")
                .withFile(script, "gpu_stress_worker.py"));
    }

    /** The guide's worker in workloads/gpu, found from this module's directory. */
    static Path workerScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("workloads/gpu/gpu_stress_worker.py");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("workloads/gpu/gpu_stress_worker.py not found above " + Path.of("").toAbsolutePath());
    }

    private EngineExecutionResults run(Class<?> testCase, String method, String... configuration) {
        lastRun.set(null);
        lastRecorder.set(null);
        var request = EngineTestKit.engine("junit-jupiter").selectors(selectMethod(testCase, java.util.Arrays.stream(
                        testCase.getDeclaredMethods()).filter(m -> m.getName().equals(method)).findFirst().orElseThrow()))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(TestKitFixture.PARAMETER, "true");
        // The engine test kit passes only what it is given: the build's image for specs that name none too.
        String image = System.getProperty(dev.dyno.config.DynoConfiguration.DOCKER_IMAGE_PROPERTY);
        if (image != null) {
            request = request.configurationParameter(dev.dyno.config.DynoConfiguration.DOCKER_IMAGE_PROPERTY, image);
        }
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            request = request.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return request.execute();
    }

    // ---------------------------------------------------------------- validation

    @Test
    @DisplayName("rejects each bad attribute before anything starts, naming the attribute, the value and what is allowed")
    void validation() {
        ValidationTestCase.started = false;
        int before = ProcessCensus.descendants();
        assertFailsConfiguration("negativeWorkers", "@GpuWorkers(workers) value -1 is not allowed: allowed are 1 to 256, "
                + "or GpuWorkers.TWO_PER_DEVICE (0, the default) for two workers per device");
        assertFailsConfiguration("badDuration", "@GpuWorkers(duration) value \"soon\" is not a duration: write a number "
                + "and a unit (ns, us, ms, s, m or h) with no space, such as \"500ms\", \"2s\" or \"1.5m\"");
        assertFailsConfiguration("zeroMemory", "@GpuWorkers(memoryMb) value 0 is not allowed: allowed are 1 to 1048576 "
                + "MiB per worker, such as 256");
        assertFailsConfiguration("devicesAndForceCpu", "@GpuWorkers(devices) value \"[0, 2]\" is not allowed: cannot be "
                + "combined with forceCpu = true; give devices to run on GPUs, or forceCpu = true to run on the CPU");
        assertFailsConfiguration("duplicateDevice", "@GpuWorkers(devices) value \"[1, 1]\" is not allowed: names device 1 twice");
        assertFailsConfiguration("percentSuccessRate", "@GpuWorkers(minSuccessRate) value 80.0 is not allowed: allowed is "
                + "a fraction from 0 to 1, such as 0.8 for 80 %");
        assertFailsConfiguration("timeoutShorterThanDuration", "@GpuWorkers(timeout) value \"1s\" is not allowed: must be "
                + "longer than duration (2.00s in this run), or every worker times out; leave it empty for twice the duration plus 30 s");
        assertFailsConfiguration("badCiScale", "@GpuWorkers(ciScale) value 2.0 is not allowed: allowed is a factor from "
                + "0.001 to 1 for CI runs, such as 0.1");
        assertFailsConfiguration("unknownWorker", "@GpuWorkers(worker) value \"no-such-worker\" is not a known workload");
        assertFailsConfiguration("badInventory", "@GpuWorkers(inventory) value \"0:H100:80GB\" entry \"0:H100:80GB\" has "
                + "memory \"80GB\", not a whole number of MiB");
        assertFailsConfiguration("badThreshold", "@GpuWorkers(thresholds) value \"gpu.success_rate >= most\"");
        run(ValidationTestCase.class, "valid", GpuWorkers.GPUS_PROPERTY, "four").testEvents().assertThatEvents()
                .haveExactly(1, event(test("valid"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("dyno.gpus value \"four\" entry \"four\" does not start with a device index")))));

        assertThat(ValidationTestCase.started).as("a fixture method ran").isFalse();
        assertThat(ProcessCensus.descendants()).as("processes started").isEqualTo(before);
    }

    private void assertFailsConfiguration(String method, String messageStart) {
        run(ValidationTestCase.class, method).testEvents().assertThatEvents().haveExactly(1, event(test(method),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith(messageStart)))));
    }

    @TestKitFixture
    static class ValidationTestCase {
        static volatile boolean started;

        @GpuWorkers(workers = -1, command = {"true"}, inventory = "none")
        void negativeWorkers() {
            started = true;
        }

        @GpuWorkers(duration = "soon", command = {"true"}, inventory = "none")
        void badDuration() {
            started = true;
        }

        @GpuWorkers(memoryMb = 0, command = {"true"}, inventory = "none")
        void zeroMemory() {
            started = true;
        }

        @GpuWorkers(devices = {0, 2}, forceCpu = true, command = {"true"})
        void devicesAndForceCpu() {
            started = true;
        }

        @GpuWorkers(devices = {1, 1}, command = {"true"})
        void duplicateDevice() {
            started = true;
        }

        @GpuWorkers(minSuccessRate = 80, command = {"true"}, inventory = "none")
        void percentSuccessRate() {
            started = true;
        }

        @GpuWorkers(duration = "2s", timeout = "1s", command = {"true"}, inventory = "none")
        void timeoutShorterThanDuration() {
            started = true;
        }

        @GpuWorkers(ciScale = 2, command = {"true"}, inventory = "none")
        void badCiScale() {
            started = true;
        }

        @GpuWorkers(worker = "no-such-worker", inventory = "none")
        void unknownWorker() {
            started = true;
        }

        @GpuWorkers(inventory = "0:H100:80GB", command = {"true"})
        void badInventory() {
            started = true;
        }

        @GpuWorkers(thresholds = "gpu.success_rate >= most", command = {"true"}, inventory = "none")
        void badThreshold() {
            started = true;
        }

        @GpuWorkers(duration = "100ms", command = {"true"})
        void valid() {
            started = true;
        }
    }

    // ---------------------------------------------------------------- no GPU

    @Test
    @DisplayName("skips with the reason when there is no GPU and whenNoGpu = SKIP")
    void skipsWithoutGpu() {
        run(NoGpuTestCase.class, "skips").testEvents().assertThatEvents().haveExactly(1, event(test("skips"),
                abortedWithReason(instanceOf(TestAbortedException.class), message(
                        "@GpuWorkers needs a GPU and whenNoGpu = SKIP: @GpuWorkers(inventory) declares no GPU"))));
        run(NoGpuTestCase.class, "skipsMissingDevice").testEvents().assertThatEvents().haveExactly(1,
                event(test("skipsMissingDevice"), abortedWithReason(message(m -> m.contains(
                        "devices [1, 3] asked for, but [3] not among the GPUs [0, 1, 2]")))));
    }

    @Test
    @DisplayName("fails with the same reason when there is no GPU, whenNoGpu = SKIP and dyno.skips = fail")
    void failsWithoutGpuWhenSkipsFail() {
        run(NoGpuTestCase.class, "skips", DynoConfiguration.SKIPS_PROPERTY, "fail").testEvents().assertThatEvents()
                .haveExactly(1, event(test("skips"), finishedWithFailure(instanceOf(SkipForbiddenException.class),
                        message("@GpuWorkers needs a GPU and whenNoGpu = SKIP: @GpuWorkers(inventory) declares no GPU"
                                + " (failed instead of skipped: dyno.skips = fail)"))));
    }

    @Test
    @DisplayName("falls back to the CPU with the guide's worker, says so, measures it, and leaves no process behind")
    void fallsBackToCpu() {
        run(NoGpuTestCase.class, "fallsBack").testEvents().assertThatEvents()
                .haveExactly(1, event(test("fallsBack"), finishedSuccessfully()));

        GpuRun run = lastRun.get();
        assertThat(run.mode()).isEqualTo(GpuRun.Mode.CPU_FALLBACK);
        assertThat(run.label()).startsWith("CPU fallback: no GPU on this machine (@GpuWorkers(inventory) declares no GPU)");
        assertThat(run.workers()).hasSize(2).allSatisfy(worker -> {
            assertThat(worker.succeeded()).as("worker %s succeeded", worker.worker()).isTrue();
            assertThat(worker.mode()).isEqualTo("cpu");
            assertThat(worker.backend()).isEqualTo("python-cpu");
            assertThat(worker.deviceKey()).isEqualTo("cpu");
            assertThat(worker.operations()).isPositive();
        });
        assertThat(run.successRate()).isEqualTo(1.0);
        assertThat(run.workersPerDevice()).containsExactly(java.util.Map.entry("cpu", 2));
        assertThat(run.processesAfter()).isEqualTo(run.processesBefore());
        assertThat(run.leftoverProcesses()).isEmpty();
        Recorder recorder = lastRecorder.get();
        assertThat(recorder.counter("gpu.operations").count()).isEqualTo(run.totalOperations());
        assertThat(recorder.snapshot().attributes()).containsEntry("gpu.mode", run.label());
        assertThat(recorder.snapshot().series()).containsKey("cpu.cpu.cores");

        // the charts, as data, say that the CPU stood in for a GPU
        MetricsSnapshot snapshot = recorder.snapshot();
        assertThat(snapshot.charts()).extracting(Chart::title).containsExactly(
                "Per-device breakdown — " + run.label(), "Utilisation over time — " + run.label());
        Chart breakdown = snapshot.charts().get(0);
        assertThat(breakdown.kind()).isEqualTo(Chart.Kind.BARS);
        assertThat(breakdown.series()).extracting(Series::name).containsExactly("ops/s", "workers", "failed workers");
        assertThat(breakdown.series()).allSatisfy(s -> assertThat(s.categories()).containsExactly("cpu"));
        assertThat(breakdown.series().get(0).y()[0]).isCloseTo(run.opsPerSecond(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(breakdown.series().get(1).y()).containsExactly(2.0);
        assertThat(breakdown.series().get(2).y()).containsExactly(0.0);
        Chart timeline = snapshot.charts().get(1);
        assertThat(timeline.y().label()).isEqualTo("CPU cores used by the device's workers");
        assertThat(timeline.series()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("cpu");
            assertThat(s.size()).isGreaterThan(1);
            assertThat(s.x()).isSorted();
        });

        // one step per worker, with its real start and duration, inside the capability's run
        Step runStep = snapshot.steps().stream().filter(s -> s.name().equals("@GpuWorkers run")).findFirst().orElseThrow();
        List<Step> workerSteps = snapshot.steps().stream().filter(s -> s.name().startsWith("GPU worker")).toList();
        assertThat(workerSteps).extracting(Step::name)
                .containsExactly("GPU worker 0 on cpu (CPU stand-in)", "GPU worker 1 on cpu (CPU stand-in)");
        for (int i = 0; i < 2; i++) {
            WorkerResult worker = run.workers().get(i);
            Step step = workerSteps.get(i);
            assertThat(step.start()).isEqualTo(worker.started()).isAfterOrEqualTo(runStep.start());
            assertThat(step.duration()).isEqualTo(worker.wallTime()).isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(1));
            assertThat(step.end()).isBeforeOrEqualTo(runStep.end());
            assertThat(step.passed()).isTrue();
            assertThat(step.parameters()).containsEntry("device", "cpu").containsEntry("ran on", "cpu (python-cpu)");
        }
        assertThat(snapshot.attachments()).as("logs of failed workers").isEmpty();
    }

    @TestKitFixture
    static class NoGpuTestCase {
        @GpuWorkers(inventory = "none", whenNoGpu = GpuWorkers.WhenNoGpu.SKIP, command = {"true"})
        void skips() {
        }

        @GpuWorkers(inventory = "3", devices = {1, 3}, whenNoGpu = GpuWorkers.WhenNoGpu.SKIP, command = {"true"})
        void skipsMissingDevice() {
        }

        @GpuWorkers(inventory = "none", worker = WORKER, duration = "1500ms", memoryMb = 16, sampleInterval = "250ms")
        void fallsBack(GpuRun run, Recorder recorder) {
            lastRun.set(run);
            lastRecorder.set(recorder);
        }
    }

    // ---------------------------------------------------------------- assignment with real processes

    @Test
    @DisplayName("gives 8 real worker processes CUDA_VISIBLE_DEVICES round-robin over 4 declared devices")
    void roundRobinOverDeclaredDevices() throws Exception {
        run(AssignmentTestCase.class, "roundRobin", GpuWorkers.GPUS_PROPERTY, "4").testEvents().assertThatEvents()
                .haveExactly(1, event(test("roundRobin"), finishedSuccessfully()));

        GpuRun run = lastRun.get();
        assertThat(run.inventory().source()).isEqualTo(GpuInventory.Source.DECLARED);
        assertThat(run.label()).contains("4 GPU(s) declared in dyno.gpus, not discovered")
                .contains("run on the CPU");
        assertThat(run.assignment()).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        for (WorkerResult worker : run.workers()) {
            // what the process itself saw, not what Dyno meant to give it
            assertThat(Files.readString(worker.stdoutLog()))
                    .contains("worker " + worker.worker() + " CUDA_VISIBLE_DEVICES=" + worker.device().getAsInt());
        }
        assertThat(run.workersPerDevice()).containsOnlyKeys("gpu0", "gpu1", "gpu2", "gpu3").allSatisfy((k, v) -> assertThat(v).isEqualTo(2));
        assertThat(run.imbalance()).isZero();
    }

    @Test
    @DisplayName("packs workers onto a declared subset by memory, and hides every GPU when forced to the CPU")
    void packedSubsetAndForcedCpu() throws Exception {
        run(AssignmentTestCase.class, "packedSubset").testEvents().assertThatEvents()
                .haveExactly(1, event(test("packedSubset"), finishedSuccessfully()));
        assertThat(lastRun.get().assignment()).containsExactly(1, 1, 3, 3, 1);
        assertThat(lastRun.get().devicesUsed()).containsExactly(1, 3);

        run(AssignmentTestCase.class, "forcedCpu", GpuWorkers.GPUS_PROPERTY, "4").testEvents().assertThatEvents()
                .haveExactly(1, event(test("forcedCpu"), finishedSuccessfully()));
        GpuRun forced = lastRun.get();
        assertThat(forced.label()).isEqualTo("CPU fallback: forced by @GpuWorkers(forceCpu = true)");
        assertThat(forced.workers()).hasSize(2).allSatisfy(w -> {
            assertThat(w.cudaVisibleDevices()).contains("");
            assertThat(Files.readString(w.stdoutLog())).contains("CUDA_VISIBLE_DEVICES=\n");
        });
    }

    @TestKitFixture
    static class AssignmentTestCase {
        @GpuWorkers(workers = 8, duration = "100ms", command = {"sh", "-c", ECHO_WORKER})
        void roundRobin(GpuRun run) {
            lastRun.set(run);
        }

        @GpuWorkers(workers = 5, duration = "100ms", devices = {1, 3}, assignment = GpuWorkers.Strategy.PACKED,
                inventory = "0:T4:1024,1:T4:1024,2:T4:1024,3:T4:1024", memoryMb = 512, command = {"sh", "-c", ECHO_WORKER})
        void packedSubset(GpuRun run) {
            lastRun.set(run);
        }

        @GpuWorkers(forceCpu = true, duration = "100ms", command = {"sh", "-c", ECHO_WORKER})
        void forcedCpu(GpuRun run) {
            lastRun.set(run);
        }
    }

    @Test
    @DisplayName("with dyno.runtime=docker the workers are containers: round-robin over 4 declared devices, no GPU requested in CPU fallback, no container left")
    void workersInContainers() throws Exception {
        Runtimes.assumeDocker();
        DockerClient client = DockerClientFactory.instance().client();
        Map<String, String> ours = Map.of(DockerRuntime.OWNER_PID_LABEL, String.valueOf(ProcessHandle.current().pid()));
        int containersBefore = client.listContainersCmd().withShowAll(true).withLabelFilter(ours).exec().size();

        run(AssignmentTestCase.class, "roundRobin", GpuWorkers.GPUS_PROPERTY, "4", Runtimes.RUNTIME_PROPERTY, "docker")
                .testEvents().assertThatEvents().haveExactly(1, event(test("roundRobin"), finishedSuccessfully()));

        GpuRun run = lastRun.get();
        assertThat(run.runtime()).isEqualTo("docker");
        assertThat(run.assignment()).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        for (WorkerResult worker : run.workers()) {
            // what the container's program saw: the declared assignment, no device of the engine's
            assertThat(Files.readString(worker.stdoutLog()))
                    .contains("worker " + worker.worker() + " CUDA_VISIBLE_DEVICES=" + worker.device().getAsInt());
            assertThat(worker.succeeded()).isTrue();
        }
        assertThat(run.leftoverContainers()).isEmpty();
        assertThat(run.leaked()).isFalse();
        assertThat(client.listContainersCmd().withShowAll(true).withLabelFilter(ours).exec()).as("containers of this JVM")
                .hasSize(containersBefore);
    }

    @Test
    @DisplayName("the guide's worker runs in a container as it does as a process, in CPU fallback")
    void guideWorkerInContainers() {
        Runtimes.assumeDocker();
        run(NoGpuTestCase.class, "fallsBack", Runtimes.RUNTIME_PROPERTY, "docker").testEvents().assertThatEvents()
                .haveExactly(1, event(test("fallsBack"), finishedSuccessfully()));

        GpuRun run = lastRun.get();
        assertThat(run.runtime()).isEqualTo("docker");
        assertThat(run.workers()).hasSize(2).allSatisfy(worker -> {
            assertThat(worker.succeeded()).as("worker %s succeeded", worker.worker()).isTrue();
            assertThat(worker.backend()).isEqualTo("python-cpu");
            assertThat(worker.operations()).isPositive();
        });
        assertThat(run.leaked()).isFalse();
        assertThat(lastRecorder.get().snapshot().attributes()).containsEntry("gpu.runtime",
                "Docker containers, no GPU requested");
    }

    // ---------------------------------------------------------------- failures

    @Test
    @DisplayName("classifies workers that crash, exit non-zero, time out or report nothing, and fails below the success rate")
    void classifiesFailures() {
        run(FailureTestCase.class, "failures").testEvents().assertThatEvents().haveExactly(1, event(test("failures"),
                finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("✗ gpu.success_rate >= 0.8 (actual 0")))));

        GpuRun run = lastRun.get();
        assertThat(run.workers()).extracting(w -> w.failure().orElse(null)).containsExactly(
                WorkerFailure.CRASH, WorkerFailure.NON_ZERO_EXIT, WorkerFailure.TIMEOUT, WorkerFailure.NO_METRICS);
        assertThat(run.workers().get(0).exitCode()).isEqualTo(128 + 11);
        assertThat(run.workers().get(1).exitCode()).isEqualTo(3);
        assertThat(run.successRate()).isZero();
        assertThat(run.processesAfter()).isEqualTo(run.processesBefore());

        // each failed worker's logs, as logs, and its step failed
        MetricsSnapshot snapshot = lastRecorder.get().snapshot();
        assertThat(snapshot.attachments()).extracting(Attachment::name).containsExactly(
                "worker 0 on cpu (CRASH, exit 139) stdout", "worker 0 on cpu (CRASH, exit 139) stderr",
                "worker 1 on cpu (NON_ZERO_EXIT, exit 3) stdout", "worker 1 on cpu (NON_ZERO_EXIT, exit 3) stderr",
                "worker 2 on cpu (TIMEOUT, exit 137) stdout", "worker 2 on cpu (TIMEOUT, exit 137) stderr",
                "worker 3 on cpu (NO_METRICS, exit 0) stdout", "worker 3 on cpu (NO_METRICS, exit 0) stderr");
        assertThat(snapshot.attachments()).allSatisfy(a -> assertThat(a.group()).isEqualTo(Attachment.LOG));
        assertThat(snapshot.attachments().get(0).file()).contains(run.workers().get(0).stdoutLog());
        assertThat(snapshot.steps()).filteredOn(s -> s.name().startsWith("GPU worker")).hasSize(4)
                .allSatisfy(s -> assertThat(s.passed()).isFalse());
        assertThat(snapshot.steps()).filteredOn(s -> s.name().equals("GPU worker 2 on cpu (CPU stand-in)"))
                .singleElement().satisfies(s -> assertThat(s.duration()).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(1500)));
    }

    @Test
    @DisplayName("classifies a worker the kernel kills for exceeding its declared device memory as out of memory")
    void classifiesOutOfMemory() {
        try (ProcessRuntime runtime = ProcessRuntime.open()) {
            Assumptions.assumeTrue(runtime.supports(WorkloadSpec.ofCommand("true").withMemoryLimit(64L << 20)),
                    "needs a writable memory cgroup to cap the CPU stand-in's memory");
        }
        run(FailureTestCase.class, "outOfMemory").testEvents().assertThatEvents()
                .haveExactly(1, event(test("outOfMemory"), finishedSuccessfully()));

        WorkerResult worker = lastRun.get().workers().get(0);
        assertThat(worker.failure()).contains(WorkerFailure.OUT_OF_MEMORY);
        assertThat(worker.exitCode()).isEqualTo(137);
        assertThat(lastRun.get().workers().get(1).succeeded()).as("the worker whose request fits").isTrue();
    }

    @TestKitFixture
    static class FailureTestCase {
        @GpuWorkers(workers = 4, duration = "200ms", timeout = "1500ms", inventory = "none", command = {"sh", "-c",
                "case $DYNO_GPU_WORKER in 0) kill -SEGV $$;; 1) exit 3;; 2) exec sleep 30;; 3) exit 0;; esac"})
        void failures(GpuRun run, Recorder recorder) {
            lastRun.set(run);
            lastRecorder.set(recorder);
        }

        // Device 0 declares 48 MiB, device 1 4 GiB: the worker on 0 asks for 96 MiB and is killed.
        @GpuWorkers(workers = 2, duration = "1s", memoryMb = 96, worker = WORKER, minSuccessRate = 0.5,
                inventory = "0:tiny:48,1:roomy:4096")
        void outOfMemory(GpuRun run) {
            lastRun.set(run);
        }
    }

    @Test
    @DisplayName("stops the workers at the test's @Timeout, reports the one that finished, and leaves no process behind")
    void stopsAtTheTestsTimeout() throws Exception {
        TimeoutTestCase.methodRan = false;
        int before = ProcessCensus.descendants();
        run(TimeoutTestCase.class, "timesOut").testEvents().assertThatEvents().haveExactly(1, event(test("timesOut"),
                finishedWithFailure(instanceOf(java.util.concurrent.TimeoutException.class))));

        assertThat(TimeoutTestCase.methodRan).as("the method after the timeout").isFalse();
        JsonNode json;
        try (var files = Files.list(results)) {
            json = new ObjectMapper().readTree(files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow()
                    .toFile());
        }
        assertThat(json.path("status").asText()).isEqualTo("broken");
        JsonNode counters = json.path("metrics").path("counters");
        assertThat(counters.path("gpu.workers").asLong()).isEqualTo(2);
        assertThat(counters.path("gpu.workers.succeeded").asLong()).as("the worker that finished").isEqualTo(1);
        assertThat(counters.path("gpu.operations").asLong()).isEqualTo(7);
        assertThat(counters.path("gpu.failures.stopped").asLong()).isEqualTo(1);
        assertThat(ProcessCensus.descendants()).as("processes after the test").isLessThanOrEqualTo(before);
    }

    @TestKitFixture
    static class TimeoutTestCase {
        static volatile boolean methodRan;

        @GpuWorkers(workers = 2, duration = "100ms", inventory = "none", command = {"sh", "-c",
                "case $DYNO_GPU_WORKER in 0) echo '=== METRICS_JSON ==='; echo '{\"operations\": 7}';; *) exec sleep 30;; esac"})
        @org.junit.jupiter.api.Timeout(value = 1500, unit = java.util.concurrent.TimeUnit.MILLISECONDS)
        void timesOut(GpuRun run) {
            methodRan = true;
        }
    }

    // ---------------------------------------------------------------- leaks

    @Test
    @DisplayName("fails the test when a worker leaves a process behind, names it, and cleans it up")
    void detectsLeaks() {
        run(LeakTestCase.class, "leaks").testEvents().assertThatEvents().haveExactly(1, event(test("leaks"),
                finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("✗ gpu.processes.leaked == 0 (actual 1)")))));

        GpuRun run = lastRun.get();
        assertThat(run.leaked()).isTrue();
        assertThat(run.leftoverProcesses()).singleElement().asString().endsWith("sleep 37");
        long pid = Long.parseLong(run.leftoverProcesses().get(0).split(" ")[0]);
        assertThat(ProcessHandle.of(pid).map(ProcessCensus::running)).as("the leftover after the test").isNotEqualTo(java.util.Optional.of(true));
        assertThat(ProcessCensus.descendants()).isLessThanOrEqualTo(run.processesBefore());
    }

    @TestKitFixture
    static class LeakTestCase {
        @GpuWorkers(workers = 1, duration = "100ms", inventory = "none", command = {"sh", "-c",
                "sleep 37 >/dev/null 2>&1 & echo '=== METRICS_JSON ==='; echo '{\"operations\": 1}'"})
        void leaks(GpuRun run) {
            lastRun.set(run);
        }
    }

    @Test
    @DisplayName("adds its own thresholds to the test's: a breached one fails the test after the method")
    void ownThresholds() {
        run(ThresholdTestCase.class, "breaches").testEvents().assertThatEvents().haveExactly(1, event(test("breaches"),
                finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("✗ gpu.operations >= 1000 (actual 20)")))));
    }

    @TestKitFixture
    static class ThresholdTestCase {
        @GpuWorkers(workers = 2, duration = "100ms", inventory = "none", thresholds = "gpu.operations >= 1000",
                command = {"sh", "-c", ECHO_WORKER})
        void breaches(GpuRun run) {
            assertThat(run.workers()).extracting(WorkerResult::operations).isEqualTo(List.of(10L, 10L));
        }
    }
}
