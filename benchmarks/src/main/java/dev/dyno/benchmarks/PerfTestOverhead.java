package dev.dyno.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.dyno.PerfTest;
import dev.dyno.config.DynoConfiguration;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * What {@code @PerfTest} costs per test, beyond a plain {@code @Test}: {@value #METHODS} empty
 * {@code @PerfTest} methods against {@value #METHODS} empty {@code @Test} methods, each class run
 * through the JUnit Launcher (discovery and execution, as a build runs them) in the same JVM,
 * alternating round by round so that drift of the machine hits both alike. The overhead per test of
 * a round is the difference of the two launches divided by {@value #METHODS}; the median over the
 * rounds is the figure, the 10th to 90th percentile and the extremes are its spread. It is reported
 * on the wall clock and as the CPU time of the thread that ran the launch (JUnit runs discovery and
 * the tests on it), which competing processes on a shared machine cannot inflate.
 *
 * <p>Everything a perf test does runs: the configuration, the recorder, the thresholds (none), the
 * environment fingerprint, the results file (into a temporary directory), the console summary
 * (formatted, then discarded with the rest of {@code System.out}, so a terminal's speed does not
 * count), the Allure reporter (inactive without allure-junit5) and the plugins of the all-in-one
 * artifact. The history is off ({@code dyno.history.dir=off}), as in CI without a kept history.
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.dyno.benchmarks.PerfTestOverhead [rounds] [without-allure]
 * </pre>
 *
 * <p>{@code without-allure} deactivates allure-junit5's listener, as for a project on {@code dyno-core}
 * alone: then no Allure results are written for either class.
 */
public final class PerfTestOverhead {

    static final int METHODS = 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int WARM_UP_ROUNDS = 20;

    private PerfTestOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        boolean allure = args.length < 2 || !args[1].equals("without-allure");
        Path results = Files.createTempDirectory("dyno-overhead");
        // allure-junit5 comes with the all-in-one artifact and records every test, plain or perf: into the
        // temporary directory too, not the working directory
        System.setProperty("allure.results.directory", results.resolve("allure-results").toString());
        if (!allure) {
            // as with dyno-core alone: no Allure test case to report into, so Dyno's Allure reporter stays
            // idle. The launcher reads this when it is created, from system properties, not per request.
            System.setProperty("junit.platform.execution.listeners.deactivate", "io.qameta.allure.*");
        }
        Launcher launcher = LauncherFactory.create();
        PrintStream console = System.out;
        Launch[] plain = new Launch[rounds];
        Launch[] perf = new Launch[rounds];
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
                // alternate which class goes first, so neither always runs on a warmer JVM
                boolean plainFirst = (round & 1) == 0;
                Launch plainLaunch = plainFirst ? launch(launcher, EmptyTests.class, results) : null;
                Launch perfLaunch = launch(launcher, EmptyPerfTests.class, results);
                if (!plainFirst) {
                    plainLaunch = launch(launcher, EmptyTests.class, results);
                }
                if (round >= 0) {
                    plain[round] = plainLaunch;
                    perf[round] = perfLaunch;
                }
            }
        } finally {
            System.setOut(console);
        }
        long files;
        try (Stream<Path> written = Files.list(results)) {
            files = written.filter(p -> p.toString().endsWith(".json")).count();
        }
        console.printf(Locale.ROOT, "%d rounds of %d empty @Test and %d empty @PerfTest methods, %s, load average %.1f%n",
                rounds, METHODS, METHODS, allure ? "allure-junit5 recording" : "without allure-junit5",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        report(console, "wall clock", plain, perf, Launch::wallNanos);
        report(console, "CPU time of the test thread", plain, perf, Launch::cpuNanos);
        long allureFiles;
        try (Stream<Path> written = Files.exists(results.resolve("allure-results"))
                ? Files.list(results.resolve("allure-results")) : Stream.empty()) {
            allureFiles = written.count();
        }
        console.printf(Locale.ROOT, "  results files: %d (one per @PerfTest method, rewritten each round, and skipped.json); "
                + "Allure results files: %d%n", files, allureFiles);
        deleteRecursively(results);
    }

    /** One launch of a class: its wall-clock time and the CPU time of the thread that ran it. */
    record Launch(long wallNanos, long cpuNanos) {
    }

    private static void report(PrintStream console, String clock, Launch[] plain, Launch[] perf,
            ToLongFunction<Launch> time) {
        double[] overhead = new double[plain.length];
        for (int i = 0; i < plain.length; i++) {
            overhead[i] = (time.applyAsLong(perf[i]) - time.applyAsLong(plain[i])) / 1e6 / METHODS;
        }
        Arrays.sort(overhead);
        console.printf(Locale.ROOT, "  %s: launch of %d @Test median %.2f ms, of %d @PerfTest median %.2f ms%n",
                clock, METHODS, median(Arrays.stream(plain).mapToDouble(l -> time.applyAsLong(l) / 1e6).toArray()),
                METHODS, median(Arrays.stream(perf).mapToDouble(l -> time.applyAsLong(l) / 1e6).toArray()));
        console.printf(Locale.ROOT, "    overhead per test: median %.3f ms, p10..p90 %.3f..%.3f ms, min..max %.3f..%.3f ms%n",
                percentile(overhead, 50), percentile(overhead, 10), percentile(overhead, 90), overhead[0],
                overhead[overhead.length - 1]);
    }

    private static Launch launch(Launcher launcher, Class<?> testClass, Path results) {
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .configurationParameter(DynoConfiguration.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(DynoConfiguration.HISTORY_DIR_PROPERTY, DynoConfiguration.HISTORY_OFF);
        LauncherDiscoveryRequest request = builder.build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        launcher.execute(request, summary);   // discovery and execution, both on this thread
        Launch launch = new Launch(System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - cpu);
        if (summary.getSummary().getTestsSucceededCount() != METHODS) {
            throw new IllegalStateException(testClass.getSimpleName() + ": " + summary.getSummary()
                    .getTestsSucceededCount() + " of " + METHODS + " tests succeeded; failures: "
                    + summary.getSummary().getFailures());
        }
        return launch;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return percentile(sorted, 50);
    }

    /** Linear interpolation between the closest ranks. */
    private static double percentile(double[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    private static void deleteRecursively(Path directory) throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** {@value #METHODS} empty tests: what JUnit costs alone. */
    public static class EmptyTests {
        @Test void t01() { }
        @Test void t02() { }
        @Test void t03() { }
        @Test void t04() { }
        @Test void t05() { }
        @Test void t06() { }
        @Test void t07() { }
        @Test void t08() { }
        @Test void t09() { }
        @Test void t10() { }
        @Test void t11() { }
        @Test void t12() { }
        @Test void t13() { }
        @Test void t14() { }
        @Test void t15() { }
        @Test void t16() { }
        @Test void t17() { }
        @Test void t18() { }
        @Test void t19() { }
        @Test void t20() { }
    }

    /** The same {@value #METHODS} empty tests as perf tests. */
    public static class EmptyPerfTests {
        @PerfTest void t01() { }
        @PerfTest void t02() { }
        @PerfTest void t03() { }
        @PerfTest void t04() { }
        @PerfTest void t05() { }
        @PerfTest void t06() { }
        @PerfTest void t07() { }
        @PerfTest void t08() { }
        @PerfTest void t09() { }
        @PerfTest void t10() { }
        @PerfTest void t11() { }
        @PerfTest void t12() { }
        @PerfTest void t13() { }
        @PerfTest void t14() { }
        @PerfTest void t15() { }
        @PerfTest void t16() { }
        @PerfTest void t17() { }
        @PerfTest void t18() { }
        @PerfTest void t19() { }
        @PerfTest void t20() { }
    }
}
