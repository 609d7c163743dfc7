package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures how late {@code start} returns after the workload wrote the line its
 * {@link Readiness#logLine(String)} waits for, over 50 starts on each runtime, and prints p50, p95
 * and the most. The workload sleeps 200 ms plus a random 0–50 ms (so the line comes while the
 * runtime already waits for it, at no fixed phase to any interval), then writes {@code ready} and
 * its own wall clock in nanoseconds ({@code time.time_ns()}, the kernel's realtime clock, which a
 * container shares), and keeps running. The lateness is this JVM's wall clock when {@code start}
 * returned minus that figure. Run with {@code -Ddyno.measure=true}: timings belong in
 * measurements, not in unit tests. It asserts only that every start saw its line.
 */
@EnabledIfSystemProperty(named = "dyno.measure", matches = "true")
class ReadinessLatenessTests {

    private static final int STARTS = 50;
    private static final String PROGRAM = "import random, time\n"
            + "time.sleep(0.2 + random.random() * 0.05)\n"
            + "print('ready %d' % time.time_ns(), flush=True)\n"
            + "time.sleep(60)\n";
    private static final Pattern READY = Pattern.compile("^ready (\\d+)$", Pattern.MULTILINE);
    private static final StringBuilder REPORT = new StringBuilder();

    @Test
    @DisplayName("measure: how late 50 starts of local processes return after their readiness line was written")
    void processes() {
        measure("processes", ProcessRuntime::open);
    }

    @Test
    @DisplayName("measure: how late 50 starts of containers return after their readiness line was written")
    void containers() {
        Runtimes.assumeDocker();
        measure("containers", DockerRuntime::open);
    }

    @AfterAll
    static void print() {
        System.out.println("\n=== Dyno readiness lateness (" + Runtime.getRuntime().availableProcessors()
                + " CPUs, load average " + loadAverage() + ") ===\n" + REPORT);
    }

    private static void measure(String what, Supplier<WorkloadRuntime> open) {
        double[] late = new double[STARTS];
        try (WorkloadRuntime runtime = open.get()) {
            WorkloadSpec spec = WorkloadSpec.ofCommand("python3", "-c", PROGRAM)
                    .withReadiness(Readiness.logLine("^ready \\d+$"))
                    .withReadinessTimeout(Duration.ofSeconds(30));
            for (int i = 0; i < STARTS; i++) {
                RunningWorkload workload = runtime.start(spec);
                Instant returned = Instant.now();
                Matcher line = READY.matcher(workload.stdout());
                assertThat(line.find()).as("the readiness line in %s", workload.stdout()).isTrue();
                long written = Long.parseLong(line.group(1));
                late[i] = (returned.getEpochSecond() * 1_000_000_000L + returned.getNano() - written) / 1e6;
                workload.kill();
            }
        }
        Arrays.sort(late);
        REPORT.append(String.format(Locale.ROOT, "%-10s %d starts: p50 %.2f ms, p95 %.2f ms, max %.2f ms late%n",
                what, late.length, late[late.length / 2], late[(int) Math.ceil(late.length * 0.95) - 1],
                late[late.length - 1]));
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
