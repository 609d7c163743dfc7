package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures provisioning times and prints them; asserts only that the work happened. Run with
 * {@code -Ddyno.measure=true}: timings depend on the machine and do not belong in unit tests.
 */
@EnabledIfSystemProperty(named = "dyno.measure", matches = "true")
class ProvisioningTimingsTests {

    private static final int REPEAT = 10;

    @Test
    @DisplayName("measure: start times of one process and one container, and of 100 processes and 20 containers")
    void measure() {
        List<String> report = new ArrayList<>();
        report.add(jdkAnchor(100, 8));
        report.add(measureRuntime(ProcessRuntime::open, "process", 100));
        if (Runtimes.dockerAvailable()) {
            report.add(dockerCliAnchor(20, 8));
            report.add(measureRuntime(DockerRuntime::open, "docker", 20));
        }
        System.out.println("\n=== Dyno provisioning timings (" + Runtime.getRuntime().availableProcessors()
                + " CPUs, load average " + loadAverage() + ") ===\n" + String.join("\n", report));
    }

    private static String measureRuntime(Supplier<WorkloadRuntime> open, String name, int fleet) {
        StringBuilder out = new StringBuilder();
        long openStart = System.nanoTime();
        try (WorkloadRuntime runtime = open.get()) {
            out.append(String.format("%-8s open (incl. reaping)          %8.1f ms%n", name, ms(openStart)));

            double[] started = new double[REPEAT];
            double[] javaReady = new double[REPEAT];
            for (int i = 0; i < REPEAT; i++) {
                long t0 = System.nanoTime();
                RunningWorkload sleeper = runtime.start(WorkloadSpec.ofCommand("sleep", "60").withCpuLimit(0.5));
                started[i] = ms(t0);
                sleeper.stop();

                long t1 = System.nanoTime();
                RunningWorkload java = runtime.start(WorkloadSpec.ofCommand("java", "-Xshare:auto", "-version")
                        .withCpuLimit(1).withReadiness(Readiness.logLine("(?i)openjdk")));
                javaReady[i] = ms(t1);
                java.stop();
            }
            out.append(String.format("%-8s start -> program running       %s%n", name, stats(started)));
            out.append(String.format("%-8s start -> JVM's first line      %s (java -version, 1 CPU)%n", name, stats(javaReady)));

            List<WorkloadSpec> specs = java.util.Collections.nCopies(fleet,
                    WorkloadSpec.ofCommand("sleep", "300").withCpuLimit(0.1));
            List<RunningWorkload> many = new ArrayList<>();
            long t2 = System.nanoTime();
            for (WorkloadSpec spec : specs) {
                many.add(runtime.start(spec));
            }
            double oneByOne = ms(t2);
            assertThat(runtime.workloads()).hasSize(fleet);
            long t3 = System.nanoTime();
            many.forEach(RunningWorkload::kill);
            double killAll = ms(t3);
            out.append(String.format("%-8s %3d workloads, one by one:   %8.1f ms (%.1f ms each), killed in %.1f ms%n",
                    name, fleet, oneByOne, oneByOne / fleet, killAll));
            for (int parallel : new int[] {4, 8, 16}) {
                long t4 = System.nanoTime();
                List<RunningWorkload> together = ParallelStarts.startAll(runtime, specs, parallel);
                double startAll = ms(t4);
                assertThat(together).hasSize(fleet).allMatch(RunningWorkload::isRunning);
                together.forEach(RunningWorkload::kill);
                out.append(String.format("%-8s %3d workloads, %2d at once:   %8.1f ms%s%n", name, fleet, parallel, startAll,
                        parallel == runtime.parallelStarts() ? " (startAll's default)" : ""));
            }
            long t5 = System.nanoTime();
            runtime.close();
            out.append(String.format("%-8s closed in %.1f ms%n", name, ms(t5)));
        }
        return out.toString();
    }

    /**
     * The floor under a process start: the JDK alone starting the same chain of programs a workload
     * in a cgroup is (the JDK's spawn helper, {@code sh} writing its pid to a file, then {@code exec
     * sleep}), {@code parallel} at once, with none of Dyno's directories, cgroups, readers or checks.
     */
    private static String jdkAnchor(int fleet, int parallel) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        List<Process> started = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            long t0 = System.nanoTime();
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < fleet; i++) {
                futures.add(pool.submit(() -> {
                    started.add(new ProcessBuilder("sh", "-c", "echo $$ > /dev/null; exec sleep 300").start());
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
            double all = ms(t0);
            return String.format("jdk      %3d processes, %2d at once:    %8.1f ms (ProcessBuilder.start of sh -c 'echo $$ > …;"
                    + " exec sleep 300', the anchor)", fleet, parallel, all);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            started.forEach(Process::destroyForcibly);
            pool.shutdownNow();
        }
    }

    /**
     * What a user would script instead: the docker CLI starting the same containers ({@code docker run -d
     * --cpus 0.1 IMAGE sleep 300}), {@code parallel} at once through {@code xargs -P}.
     */
    private static String dockerCliAnchor(int fleet, int parallel) {
        String label = "dyno.anchor=" + ProcessHandle.current().pid();
        String image = dev.dyno.config.DynoConfiguration.current().dockerImage().orElse(DockerRuntime.DEFAULT_IMAGE);
        try {
            long t0 = System.nanoTime();
            int code = new ProcessBuilder("sh", "-c", "seq " + fleet + " | xargs -P" + parallel + " -I{} docker run -d --label "
                    + label + " --cpus 0.1 --pull never " + image + " sleep 300 > /dev/null")
                    .inheritIO().start().waitFor();
            double all = ms(t0);
            assertThat(code).as("docker run's exit code").isZero();
            return String.format("docker-cli %3d containers, %2d at once:  %8.1f ms (docker run -d --cpus 0.1 … sleep 300 through"
                    + " xargs -P%d, the anchor)", fleet, parallel, all, parallel);
        } catch (java.io.IOException e) {
            return "docker-cli: not run (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            try {
                new ProcessBuilder("sh", "-c", "docker ps -aq --filter label=" + label + " | xargs -r docker rm -f > /dev/null")
                        .inheritIO().start().waitFor();
            } catch (java.io.IOException e) {
                // nothing was started
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String stats(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return String.format("median %7.1f ms, min %7.1f, max %7.1f (n=%d)", sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1], sorted.length);
    }

    private static double ms(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toNanos() / 1e6;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
