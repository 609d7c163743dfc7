package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link WorkloadRuntime} must have, run against each implementation by a
 * subclass. After every test the runtime is closed and nothing it started may be left.
 */
abstract class WorkloadRuntimeContract {

    /** Two busy processes: Python threads would share one core through the GIL. */
    static final String BUSY_LOOP = "import os; os.fork(); exec('while True: pass')";

    WorkloadRuntime runtime;
    private long descendantsBefore;

    /** Opens the runtime under test; may abort the test when the runtime cannot run here. */
    abstract WorkloadRuntime openRuntime();

    /** How many processes, containers or networks of {@code runId} exist, running or not. */
    abstract long leftovers(RunId runId);

    @BeforeEach
    void openTheRuntime() {
        descendantsBefore = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
        runtime = openRuntime();
    }

    @AfterEach
    void closeTheRuntimeAndCountLeftovers() {
        if (runtime == null) {
            return;
        }
        runtime.close();
        assertThat(runtime.workloads()).isEmpty();
        assertThat(leftovers(runtime.runId())).as("processes or containers left by run %s", runtime.runId()).isZero();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count())
                .as("live descendants of this JVM").isLessThanOrEqualTo(descendantsBefore);
    }

    @Test
    @DisplayName("a two-process busy loop gets the CPU limit it was given, and the new one the moment it changes")
    void cpuLimitHoldsAndChangesLive() throws InterruptedException {
        RunningWorkload busy = runtime.start(WorkloadSpec.ofCommand("python3", "-c", BUSY_LOOP).withCpuLimit(0.5));
        assertThat(busy.cpuLimitMechanism().fractional()).isTrue();
        Thread.sleep(300); // both processes running
        ResourceSample from = busy.sample();
        ResourceSample limited = null;
        double othersAtHalf = 0;
        for (int attempt = 0; attempt < 3 && (limited == null || limited.cpuCores() < 0.4); attempt++) {
            MachineCpu machine = MachineCpu.now();
            limited = sampleAfterASecond(busy, from);
            from = limited;
            othersAtHalf = machine.busyCoresSince() - limited.cpuCores();
        }
        // The cap must never be exceeded, however busy the machine is.
        assertThat(limited.cpuCores()).isLessThanOrEqualTo(0.6);
        if (limited.cpuCores() < 0.4 && othersAtHalf > 2 - 0.5 - 0.1) {
            Assumptions.abort(String.format("the machine was busy: other processes used %.2f cores while the "
                    + "workload measured %.2f under a 0.5-core limit", othersAtHalf, limited.cpuCores()));
        }
        assertThat(limited.cpuCores()).isCloseTo(0.5, within(0.1));

        busy.setCpuLimit(1.5);
        from = sampleAfter(busy, from, Duration.ZERO); // a window that opens after the change
        // 1.5 of 2 cores needs a quiet second; a neighbour's burst gets up to three windows.
        ResourceSample raised = null;
        double othersCores = 0;
        for (int attempt = 0; attempt < 3 && (raised == null || raised.cpuCores() < 1.3); attempt++) {
            MachineCpu machine = MachineCpu.now();
            raised = sampleAfterASecond(busy, from);
            from = raised;
            othersCores = machine.busyCoresSince() - raised.cpuCores();
        }

        assertThat(busy.cpuLimit()).hasValue(1.5);
        assertThat(raised.cpuCores()).isLessThanOrEqualTo(1.7);
        if (othersCores > 0.3 && raised.cpuCores() < 1.3) {
            // 1.5 of 2 cores needs a quiet machine; say so rather than fail or pass silently
            Assumptions.abort(String.format("the machine was busy: other processes used %.2f cores while the "
                    + "workload measured %.2f under a 1.5-core limit", othersCores, raised.cpuCores()));
        }
        System.out.printf("%s: 0.5-core limit measured %.3f cores; raised live to 1.5: %.3f cores, %d of %d periods "
                + "throttled (%s)%n", runtime.name(), limited.cpuCores(), raised.cpuCores(), raised.throttledPeriods(),
                raised.periods(), raised.throttledTime());
        assertThat(raised.cpuCores()).isGreaterThan(limited.cpuCores() + 0.3).isCloseTo(1.5, within(0.2));
        assertThat(raised.throttledPeriods()).isPositive();
        assertThat(raised.throttledTime()).isPositive();
        assertThat(raised.periods()).isGreaterThanOrEqualTo(raised.throttledPeriods());
        assertThat(raised.cpuTime()).isGreaterThan(Duration.ofMillis(1500));
        assertThat(raised.memoryBytes()).isPositive();
        assertThat(busy.visibleCpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    @DisplayName("an invalid CPU limit for a running workload is refused, naming the field and the value")
    void invalidLiveCpuLimitIsRefused() {
        RunningWorkload sleeper = runtime.start(WorkloadSpec.ofCommand("sleep", "30").withCpuLimit(1));

        assertThatThrownBy(() -> sleeper.setCpuLimit(0))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageContaining("WorkloadSpec.cpuLimit = 0.0")
                .hasMessageContaining("positive number of cores");
        assertThat(sleeper.cpuLimit()).hasValue(1.0);
    }

    @Test
    @DisplayName("the exit code of a workload is reported, and its stdout and stderr are kept apart")
    void exitCodeAndOutput() throws IOException {
        RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("sh", "-c", "echo out-line; echo err-line >&2; exit 3")
                .withReadiness(Readiness.exit()));

        assertThat(run.isRunning()).isFalse();
        assertThat(run.exitCode()).hasValue(3);
        assertThat(run.awaitExit(Duration.ofSeconds(1))).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("out-line\n");
        assertThat(run.stderr()).isEqualTo("err-line\n");
        run.stop();
        assertThat(Files.readString(run.stdoutFile())).isEqualTo("out-line\n");
        assertThat(Files.readString(run.stderrFile())).isEqualTo("err-line\n");
        assertThat(run.exitCode()).hasValue(3);
    }

    @Test
    @DisplayName("a METRICS_JSON block in the output becomes the workload's metrics")
    void metricsJsonIsParsed() {
        RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("python3", "-c",
                        "import json; print('warming up'); print('=== METRICS_JSON ==='); "
                                + "print(json.dumps({'total_time': 1.5, 'phases': {'import_ms': 120}}))")
                .withReadiness(Readiness.metricsJson()));

        assertThat(run.metrics()).hasValueSatisfying(metrics -> {
            assertThat(metrics.number("total_time")).hasValue(1.5);
            assertThat(metrics.number("phases.import_ms")).hasValue(120.0);
        });
        assertThat(run.awaitExit(Duration.ofSeconds(10))).isZero();
    }

    @Test
    @DisplayName("output beyond the retained tail is dropped from memory but kept whole in the log file")
    void outputIsBoundedInMemoryAndWholeOnDisk() throws IOException {
        int lines = 30_000; // 30 000 lines of 20 characters: more than the retained 256 KiB
        RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("python3", "-c",
                        "for i in range(" + lines + "): print('line %014d' % i)")
                .withReadiness(Readiness.exit()));

        assertThat(run.stdout().length()).isLessThanOrEqualTo(RunningWorkload.RETAINED_OUTPUT_CHARS);
        assertThat(run.stdout()).endsWith(String.format("line %014d%n", lines - 1));
        run.stop();
        List<String> logged = Files.readAllLines(run.stdoutFile());
        assertThat(logged).hasSize(lines).startsWith("line 00000000000000");
    }

    @Test
    @DisplayName("start returns once the awaited log line appears, with the workload still running")
    void readinessOnALogLine() {
        RunningWorkload server = runtime.start(WorkloadSpec.ofCommand("sh", "-c",
                        "echo booting; sleep 0.3; echo 'server started' >&2; exec sleep 30")
                .withReadiness(Readiness.logLine("server st.rted")));

        assertThat(server.stderr()).contains("server started");
        assertThat(server.isRunning()).isTrue();
    }

    private static ResourceSample sampleAfterASecond(RunningWorkload workload, ResourceSample from) throws InterruptedException {
        Thread.sleep(1000);
        return sampleAfter(workload, from, Duration.ofMillis(900));
    }

    /**
     * The first sample read more than {@code window} after {@code from}: where the counters come
     * from a source that reads them once a second (a remote engine's stats), a sample with no new
     * reading repeats the previous one, and its window is not the one the caller waited for.
     */
    static ResourceSample sampleAfter(RunningWorkload workload, ResourceSample from, Duration window)
            throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        ResourceSample sample = workload.sample();
        while (!sample.timestamp().isAfter(from.timestamp().plus(window)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            sample = workload.sample();
        }
        return sample;
    }

    @Test
    @DisplayName("start returns once the service answers HTTP 200 at the endpoint the runtime reports")
    void readinessOnHttp() throws Exception {
        int port = freePort();
        RunningWorkload server = runtime.start(WorkloadSpec.ofCommand("python3", "-m", "http.server", "--bind",
                        "127.0.0.1", String.valueOf(port))
                .withReadiness(Readiness.http(URI.create("http://127.0.0.1:" + port + "/")))
                .withReadinessTimeout(Duration.ofSeconds(20)));

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.endpoint(port).uri("http", "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.endpoint(port).port()).isEqualTo(port);
    }

    @Test
    @DisplayName("a workload on a bridge network answers at the endpoint of its published port, probed there for readiness")
    void publishedPortOnABridge() throws Exception {
        int port = freePort(); // a container has ports of its own; a process on the host's network needs a free one
        RunningWorkload server = runtime.start(WorkloadSpec.ofCommand("python3", "-m", "http.server", "--bind",
                        "0.0.0.0", String.valueOf(port))
                .withPublishedPorts(port)
                .withReadiness(Readiness.http(URI.create("http://127.0.0.1:" + port + "/")))
                .withReadinessTimeout(Duration.ofSeconds(20)));

        Endpoint endpoint = server.endpoint(port);
        assertThat(server.spec().network()).isEqualTo(NetworkMode.BRIDGE);
        assertThat(endpoint.host()).isIn("127.0.0.1", "localhost");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(endpoint.uri("http", "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertPublished(server, port, endpoint);
    }

    /** What the runtime does with a published port: a container's is mapped to a port of the engine's host, a process's is its own. */
    abstract void assertPublished(RunningWorkload server, int port, Endpoint endpoint);

    @Test
    @DisplayName("a readiness condition that never comes fails with the condition and the timeout, and leaves nothing running")
    void readinessTimeout() {
        WorkloadSpec neverReady = WorkloadSpec.ofCommand("sh", "-c", "echo still booting; exec sleep 30")
                .withReadiness(Readiness.logLine("ready"))
                .withReadinessTimeout(Duration.ofSeconds(1));

        assertThatThrownBy(() -> runtime.start(neverReady))
                .isInstanceOf(WorkloadNotReadyException.class)
                .hasMessageContaining("WorkloadSpec.readiness = logLine(/ready/)")
                .hasMessageContaining("WorkloadSpec.readinessTimeout = PT1S")
                .hasMessageContaining("still booting");
        assertThat(runtime.workloads()).isEmpty();
        assertThat(leftovers(runtime.runId())).isZero();
    }

    @Test
    @DisplayName("a workload that exits before it is ready fails at once with its exit code and output")
    void exitBeforeReadiness() {
        WorkloadSpec crashing = WorkloadSpec.ofCommand("sh", "-c", "echo 'cannot bind' >&2; exit 7")
                .withReadiness(Readiness.logLine("listening"))
                .withReadinessTimeout(Duration.ofSeconds(30));

        long started = System.nanoTime();
        assertThatThrownBy(() -> runtime.start(crashing))
                .isInstanceOf(WorkloadNotReadyException.class)
                .hasMessageContaining("exited with code 7")
                .hasMessageContaining("cannot bind");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(leftovers(runtime.runId())).isZero();
    }

    @Test
    @DisplayName("start returns at the awaited line while the workload goes on printing, not when its output ends")
    void readinessOnALineAmidOutput() {
        RunningWorkload server = runtime.start(WorkloadSpec.ofCommand("python3", "-c",
                        "import time\n"
                        + "for i in range(50): print('booting', i, flush=True)\n"
                        + "print('ready', flush=True)\n"
                        + "for i in range(600): print('serving', i, flush=True); time.sleep(0.05)\n")
                .withReadiness(Readiness.logLine("^ready$"))
                .withReadinessTimeout(Duration.ofSeconds(20)));

        assertThat(server.stdout()).contains("booting 49\nready\n").doesNotContain("serving 599");
        assertThat(server.isRunning()).isTrue();
    }

    @Test
    @DisplayName("awaitSatisfies waits for a condition of the caller's while the workload runs: false at its timeout, true at the line")
    void awaitSatisfiesWhileRunning() {
        RunningWorkload worker = runtime.start(WorkloadSpec.ofCommand("python3", "-c",
                "import time\n"
                        + "print('warming', flush=True)\n"
                        + "time.sleep(1.5)\n"
                        + "print('warm', flush=True)\n"
                        + "time.sleep(60)\n"));
        Readiness warm = Readiness.logLine("^warm$");
        assertThat(worker.awaitSatisfies(warm, Duration.ofMillis(100))).as("before the line").isFalse();
        assertThat(worker.awaitSatisfies(warm, Duration.ofSeconds(20))).as("after the line").isTrue();
        assertThat(worker.stdout()).contains("warming\nwarm\n");
        assertThat(worker.isRunning()).isTrue();
        worker.kill();
        long killed = System.nanoTime();
        assertThat(worker.awaitSatisfies(Readiness.logLine("^never$"), Duration.ofSeconds(60)))
                .as("a workload that has finished").isFalse();
        // It returns because the workload finished, not because a minute passed.
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    @DisplayName("a workload that exits before it is ready while a child of it holds its output open is reported as exited")
    void exitBeforeReadinessWithOutputHeldOpen() {
        WorkloadSpec crashing = WorkloadSpec.ofCommand("sh", "-c", "echo 'giving up' >&2; sleep 20 & exit 4")
                .withReadiness(Readiness.logLine("listening"))
                .withReadinessTimeout(Duration.ofSeconds(30));

        assertThatThrownBy(() -> runtime.start(crashing))
                .isInstanceOf(WorkloadNotReadyException.class)
                .hasMessageContaining("exited with code 4 before WorkloadSpec.readiness = logLine(/listening/) came true")
                .hasMessageContaining("giving up");
        assertThat(runtime.workloads()).isEmpty();
        assertThat(leftovers(runtime.runId())).isZero();
    }

    @Test
    @DisplayName("metricsJson() readiness comes when a METRICS_JSON block that arrives in pieces is complete, the workload still running")
    void metricsJsonReadinessInPieces() {
        RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("python3", "-c",
                        "import time\n"
                        + "print('=== METRICS_JSON ===', flush=True); time.sleep(0.2)\n"
                        + "print('{\"total_time\": 1.5,', flush=True); time.sleep(0.2)\n"
                        + "print(' \"phases\": {\"import_ms\": 120}', flush=True); time.sleep(0.2)\n"
                        + "print('}', flush=True)\n"
                        + "time.sleep(30)\n")
                .withReadiness(Readiness.metricsJson())
                .withReadinessTimeout(Duration.ofSeconds(20)));

        assertThat(run.isRunning()).isTrue();
        assertThat(run.metrics()).hasValueSatisfying(metrics -> {
            assertThat(metrics.number("total_time")).hasValue(1.5);
            assertThat(metrics.number("phases.import_ms")).hasValue(120.0);
        });
    }

    @Test
    @DisplayName("stopping a workload ends every process it forked, and it can no longer be sampled")
    void stopEndsTheWholeTree() {
        RunningWorkload busy = runtime.start(WorkloadSpec.ofCommand("python3", "-c", BUSY_LOOP).withCpuLimit(0.2));
        assertThat(leftovers(runtime.runId())).isPositive();

        busy.stop();

        assertThat(busy.isRunning()).isFalse();
        assertThat(leftovers(runtime.runId())).isZero();
        assertThat(runtime.workloads()).isEmpty();
        assertThatThrownBy(busy::sample).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
    }

    @Test
    @DisplayName("files are copied into the working directory before the workload starts")
    void filesAreCopiedIn(@TempDir Path dir) throws IOException {
        Path script = Files.writeString(dir.resolve("hello.py"), "import os\nprint('hello from', os.path.basename(__file__))\n");

        RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("python3", "scripts/hello.py")
                .withFile(script, "scripts/hello.py")
                .withReadiness(Readiness.exit()));

        assertThat(run.exitCode()).hasValue(0);
        assertThat(run.stdout()).isEqualTo("hello from hello.py\n");
    }

    @Test
    @DisplayName("environment variables reach the workload, and it can tell its run id")
    void environmentReachesTheWorkload() {
        RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("sh", "-c", "echo $GREETING $DYNO_RUN_ID")
                .withEnv("GREETING", "hi")
                .withReadiness(Readiness.exit()));

        assertThat(run.stdout()).isEqualTo("hi " + runtime.runId() + "\n");
    }

    @Test
    @DisplayName("a workload over its memory limit is killed by the kernel")
    void memoryLimitIsEnforced() {
        RunningWorkload hog = runtime.start(WorkloadSpec.ofCommand("python3", "-c",
                        "import time; blocks = []\nfor _ in range(40): blocks.append(bytearray(8 << 20)); time.sleep(0.01)\n"
                                + "print('survived')")
                .withMemoryLimit(64L << 20)
                .withReadiness(Readiness.exit())
                .withReadinessTimeout(Duration.ofSeconds(30)));

        assertThat(hog.exitCode()).hasValue(137);
        assertThat(hog.stdout()).doesNotContain("survived");
    }

    @Test
    @DisplayName("with network NONE the workload cannot reach a port this JVM listens on, with HOST it can")
    void networkModes() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try {
                    while (!listener.isClosed()) {
                        listener.accept().close();
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            WorkloadSpec connect = WorkloadSpec.ofCommand("python3", "-c",
                            "import socket; socket.create_connection(('127.0.0.1', " + listener.getLocalPort() + "), 2)")
                    .withReadiness(Readiness.exit());

            RunningWorkload isolated = runtime.start(connect.withNetwork(NetworkMode.NONE));
            RunningWorkload hosted = runtime.start(connect.withNetwork(NetworkMode.HOST));

            assertThat(isolated.exitCode()).hasValue(1);
            assertThat(isolated.stderr()).contains("Connection refused");
            assertThatThrownBy(() -> isolated.endpoint(80)).isInstanceOf(IllegalStateException.class);
            assertThat(hosted.exitCode()).hasValue(0);
        }
    }

    @Test
    @DisplayName("a program that does not exist is refused, naming the command")
    void missingProgram() {
        assertThatThrownBy(() -> runtime.start(WorkloadSpec.ofCommand("no-such-program-dyno", "--help")))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageContaining("WorkloadSpec.command = [no-such-program-dyno, --help]")
                .hasMessageContaining("'no-such-program-dyno'");
        assertThat(runtime.workloads()).isEmpty();
    }

    @Test
    @DisplayName("a file to copy that cannot be read is refused before anything starts, naming the file")
    void unreadableFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.py");

        assertThatThrownBy(() -> runtime.start(WorkloadSpec.ofCommand("python3", "missing.py").withFile(missing, "missing.py")))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageContaining("WorkloadSpec.files = " + missing)
                .hasMessageContaining("not a readable file");
        assertThat(leftovers(runtime.runId())).isZero();
    }

    @Test
    @DisplayName("a JVM workload records itself with JFR, and the file is collected when it stops")
    void jvmRecordingIsCollected(@TempDir Path dir) throws IOException {
        Path probe = JvmProbe.compile(dir);

        RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("java", "-cp", "app", JvmProbe.CLASS_NAME)
                .withFile(probe, "app/" + JvmProbe.CLASS_NAME + ".class")
                .withEnv(JvmRecording.JAVA_TOOL_OPTIONS, "-Dgreeting=kept")
                .withJvmRecording()
                .withReadiness(Readiness.exit())
                .withReadinessTimeout(Duration.ofMinutes(2)));
        assertThat(run.exitCode()).hasValue(0);
        assertThat(run.jvmRecording().file()).isEmpty();
        assertThat(run.jvmRecording().explanation()).startsWith("not collected yet");
        run.stop();

        JvmRecording recording = run.jvmRecording();
        assertThat(recording.file()).as(recording.explanation()).isPresent();
        assertThat(recording.file().get()).isRegularFile().hasFileName(JvmRecording.FILE_NAME);
        assertThat(Files.size(recording.file().get())).isGreaterThan(10_000);
        JvmRecording.Summary jvm = recording.summary().orElseThrow();
        System.out.printf("%s: JVM recording %s: %s%n", runtime.name(), recording.file().get(), jvm);
        assertThat(jvm.compilations()).isGreaterThan(20);
        assertThat(jvm.compilationTime()).isPositive().isGreaterThanOrEqualTo(jvm.longestCompilation());
        assertThat(jvm.classesLoaded().orElseThrow()).isGreaterThan(400);
        assertThat(jvm.classLoads()).isPositive();
        assertThat(jvm.classLoadingTime()).isPositive().isLessThan(jvm.recorded());
        // the spec's own options still apply, and JFR's start-up message stays off the workload's stdout
        assertThat(run.stdout()).isEqualTo("greeting=kept\nfirst=s0\n");
        assertThat(run.stderr()).contains("Picked up JAVA_TOOL_OPTIONS: -Dgreeting=kept -Xlog:jfr+startup=off");
    }

    @Test
    @DisplayName("a workload that is no JVM has no recording, and says so")
    void noJvmNoRecording() {
        RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("sh", "-c", "echo not a jvm")
                .withJvmRecording()
                .withReadiness(Readiness.exit()));
        run.stop();

        assertThat(run.exitCode()).hasValue(0);
        assertThat(run.stdout()).isEqualTo("not a jvm\n");
        assertThat(run.jvmRecording().file()).isEmpty();
        assertThat(run.jvmRecording().summary()).isEmpty();
        assertThat(run.jvmRecording().explanation()).startsWith("no JVM started").contains("ran no Java program");
    }

    @Test
    @DisplayName("a JVM killed with SIGKILL writes no recording, and the reason is reported")
    void killedJvmHasNoRecording(@TempDir Path dir) throws IOException {
        Path probe = JvmProbe.compile(dir);
        RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("java", "-cp", "app", JvmProbe.CLASS_NAME, "wait")
                .withFile(probe, "app/" + JvmProbe.CLASS_NAME + ".class")
                .withJvmRecording()
                .withReadiness(Readiness.logLine(java.util.regex.Pattern.compile(JvmProbe.READY)))
                .withReadinessTimeout(Duration.ofMinutes(2)));

        run.kill();

        assertThat(run.jvmRecording().file()).isEmpty();
        assertThat(run.jvmRecording().explanation()).contains("killed (SIGKILL)").contains("writes no recording");
    }

    @Test
    @DisplayName("a spec without withJvmRecording() has no recording, and says why")
    void recordingNotAskedFor() {
        RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("sh", "-c", "true").withReadiness(Readiness.exit()));
        run.stop();

        assertThat(run.jvmRecording().file()).isEmpty();
        assertThat(run.jvmRecording().explanation()).contains("withJvmRecording()");
        assertThat(run.stderr()).doesNotContain("JAVA_TOOL_OPTIONS");
    }

    @Test
    @DisplayName("what a killed JVM left running is reaped when the next runtime opens")
    void leftoversOfAKilledJvmAreReaped() throws Exception {
        Process jvm = forkJvm(OrphanedWorkloadMain.class.getName(), runtime.name());
        RunId orphanedRun;
        try {
            orphanedRun = new RunId(awaitStartedLine(jvm).split(" ")[1]);
            assertThat(leftovers(orphanedRun)).as("the forked JVM's workload (and its container's network)").isPositive();
        } finally {
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
            jvm.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(leftovers(orphanedRun)).as("left behind by the killed JVM").isPositive();

        try (WorkloadRuntime next = openRuntime()) {
            assertThat(leftovers(orphanedRun)).as("after the next runtime opened").isZero();
            assertThat(next.runId()).isNotEqualTo(orphanedRun);
        }
    }

    @Test
    @DisplayName("a JVM that exits without closing its runtime stops its workloads in a shutdown hook")
    void shutdownHookStopsWorkloads() throws Exception {
        Process jvm = forkJvm(OrphanedWorkloadMain.class.getName(), runtime.name(), "exit");
        RunId forkedRun = new RunId(awaitStartedLine(jvm).split(" ")[1]);

        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(jvm.exitValue()).isZero();
        assertThat(leftovers(forkedRun)).as("left by a JVM that exited normally").isZero();
    }

    private static Process forkJvm(String... mainAndArgs) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classpath));
        // the forked JVM's workloads run in the image this build names for specs that name none
        String image = System.getProperty(DockerRuntime.DEFAULT_IMAGE_PROPERTY);
        if (image != null) {
            command.add("-D" + DockerRuntime.DEFAULT_IMAGE_PROPERTY + "=" + image);
        }
        command.addAll(List.of(mainAndArgs));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String awaitStartedLine(Process jvm) throws Exception {
        List<String> seen = new ArrayList<>();
        CompletableFuture<String> started = new CompletableFuture<>();
        // One reader that keeps draining after the line is found, so the forked JVM never blocks
        // on a full pipe; the reader is never closed while another thread could be reading it.
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (seen) {
                        seen.add(line);
                    }
                    if (started.isDone()) {
                        System.out.println("[forked JVM] " + line); // what it says after its start, such as its shutdown
                    }
                    int at = line.indexOf(OrphanedWorkloadMain.STARTED + " ");
                    if (at >= 0) { // another thread's log output may share the line
                        started.complete(line.substring(at));
                    }
                }
            } catch (IOException e) {
                // the forked JVM is gone: fall through
            }
            started.complete(null);
        }, "forked-jvm-output");
        reader.setDaemon(true);
        reader.start();
        String line;
        try {
            line = started.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // a thread dump (SIGQUIT) says where the forked JVM is stuck
            new ProcessBuilder("kill", "-QUIT", String.valueOf(jvm.pid())).start().waitFor(5, TimeUnit.SECONDS);
            Thread.sleep(1000);
            synchronized (seen) {
                throw new AssertionError("the forked JVM did not start its workload within 60 s; its output:\n"
                        + String.join("\n", seen));
            }
        }
        if (line == null) {
            synchronized (seen) {
                throw new AssertionError("the forked JVM ended without starting its workload:\n" + String.join("\n", seen));
            }
        }
        return line;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
