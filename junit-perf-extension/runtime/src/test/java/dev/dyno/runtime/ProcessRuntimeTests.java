package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ProcessRuntime")
class ProcessRuntimeTests extends WorkloadRuntimeContract {

    @Override
    void assertPublished(RunningWorkload server, int port, Endpoint endpoint) {
        // a process has no network of its own: it runs on the host's, and its port is reached as itself
        assertThat(endpoint.port()).isEqualTo(port);
    }

    @Override
    WorkloadRuntime openRuntime() {
        return ProcessRuntime.open();
    }

    @Override
    long leftovers(RunId runId) {
        return ProcessTree.carrying(ProcessTree.RUN_ID_ENV).values().stream()
                .map(env -> env.get(ProcessTree.RUN_ID_ENV))
                .filter(runId.value()::equals)
                .count();
    }

    @Test
    @DisplayName("a workload is counted as the run's from the moment start returns, even while it is still exec-ing")
    void censusSeesWorkloadsMidExec() {
        // A tiny CPU quota throttles execve itself, which widens the window in which the new
        // program's environment is not readable yet (the race that once lost a workload in CI).
        for (int started = 1; started <= 5; started++) {
            runtime.start(WorkloadSpec.ofCommand("python3", "-c", "import time; time.sleep(30)")
                    .withCpuLimit(WorkloadSpec.MIN_CPU_LIMIT));
            // The start wrapper's own helpers may still be there for a moment: never fewer, that is the claim.
            assertThat(leftovers(runtime.runId())).as("after start number %d", started).isGreaterThanOrEqualTo(started);
        }
    }

    @Test
    @DisplayName("on this machine the CPU limit is a cgroup quota, and the workload's cgroup is gone after stop")
    void usesACgroupAndRemovesIt() {
        RunningWorkload sleeper = runtime.start(WorkloadSpec.ofCommand("sleep", "30").withCpuLimit(0.5));
        assertThat(runtime.cpuLimitMechanism()).isIn(CpuLimitMechanism.CGROUP_V1, CpuLimitMechanism.CGROUP_V2);
        assertThat(sleeper.cpuLimitMechanism()).isEqualTo(runtime.cpuLimitMechanism());
        Path cgroup = cgroupOf(Long.parseLong(sleeper.id()));
        assertThat(cgroup.toString()).contains("/dyno/" + runtime.runId() + "/");

        sleeper.stop();

        assertThat(cgroup).doesNotExist();
    }

    @Test
    @DisplayName("a spec with only an image is refused: processes need a command")
    void imageOnlySpecIsRefused() {
        WorkloadSpec imageOnly = WorkloadSpec.ofImage("dyno/jre17-python:local");

        assertThat(runtime.supports(imageOnly)).isFalse();
        assertThatThrownBy(() -> runtime.start(imageOnly))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageContaining("WorkloadSpec.command = []")
                .hasMessageContaining("give a command");
    }

    @Test
    @DisplayName("labels are written next to the workload's logs, and its pid file goes when it stops")
    void labelsAndPidFile() throws Exception {
        RunningWorkload sleeper = runtime.start(WorkloadSpec.ofCommand("sleep", "30").withLabel("team", "perf"));
        Path dir = sleeper.stdoutFile().getParent();
        assertThat(dir.resolve("labels")).hasContent("team=perf");
        assertThat(Files.readString(dir.resolve("pid"))).startsWith(sleeper.id() + " ");

        sleeper.stop();

        assertThat(dir.resolve("pid")).doesNotExist();
        assertThat(dir.resolve("stdout.log")).exists();
    }

    @Test
    @DisplayName("GPU devices become the program's CUDA_VISIBLE_DEVICES, in nvidia-smi's (PCI) order unless the spec orders them")
    void gpuDevicesBecomeCudaVisibleDevices() {
        WorkloadSpec printEnv = WorkloadSpec.ofCommand("sh", "-c", GpuEnvironmentMain.PRINT_ENV).withReadiness(Readiness.exit());
        String uuid = WorkloadSpecTests.GPU_UUID;

        RunningWorkload onGpus = runtime.start(printEnv.withGpuDevices(List.of("2", uuid)));
        RunningWorkload ordered = runtime.start(printEnv.withEnv("CUDA_DEVICE_ORDER", "FASTEST_FIRST")
                .withGpuDevices(List.of("1")));

        assertThat(onGpus.exitCode()).hasValue(0);
        assertThat(onGpus.stdout()).isEqualTo("CUDA_VISIBLE_DEVICES=2," + uuid + " CUDA_DEVICE_ORDER=PCI_BUS_ID\n");
        assertThat(ordered.stdout()).isEqualTo("CUDA_VISIBLE_DEVICES=1 CUDA_DEVICE_ORDER=FASTEST_FIRST\n");
    }

    @Test
    @DisplayName("GPU devices replace a CUDA_VISIBLE_DEVICES the JVM inherited; a spec without GPUs keeps the inherited one")
    void gpuDevicesReplaceInheritedVisibleDevices() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder fork = new ProcessBuilder(java, "-cp", classpath, GpuEnvironmentMain.class.getName(), "0", "3")
                .redirectErrorStream(true);
        fork.environment().put("CUDA_VISIBLE_DEVICES", "7,5");
        fork.environment().put("CUDA_DEVICE_ORDER", "FASTEST_FIRST");
        Process jvm = fork.start();
        List<String> seen = new ArrayList<>();
        String output;
        try {
            output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).as("the forked JVM ended").isTrue();
        } finally {
            jvm.destroyForcibly();
        }
        output.lines().filter(l -> l.contains(GpuEnvironmentMain.SEEN))
                .forEach(l -> seen.add(l.substring(l.indexOf(GpuEnvironmentMain.SEEN) + GpuEnvironmentMain.SEEN.length())));

        assertThat(jvm.exitValue()).as("exit of the forked JVM, which printed:%n%s", output).isZero();
        assertThat(seen).containsExactly(
                "with CUDA_VISIBLE_DEVICES=0,3 CUDA_DEVICE_ORDER=PCI_BUS_ID",
                "without CUDA_VISIBLE_DEVICES=7,5 CUDA_DEVICE_ORDER=FASTEST_FIRST");
    }

    private static Path cgroupOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts[1].equals("cpu") || parts[1].contains("cpu,") || parts[1].isEmpty()) {
                    Path mount = parts[1].isEmpty() ? Path.of("/sys/fs/cgroup") : Path.of("/sys/fs/cgroup", parts[1]);
                    return Path.of(mount + parts[2]);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no cpu cgroup for " + pid + " in " + Map.of());
    }
}
