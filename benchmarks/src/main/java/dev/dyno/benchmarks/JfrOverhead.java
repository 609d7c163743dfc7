package dev.dyno.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import one.profiler.AsyncProfiler;

/**
 * What {@code @JfrRecording} costs the method it records: the body of the docs' {@code SortPerfTest}
 * (20 batches of 100 000 random ints sorted), timed with nothing running, with a JFR recording of
 * the {@code profile} settings and {@code @JfrRecording}'s additions running, and with async-profiler
 * sampling CPU at its default 10 ms. The three alternate round by round so that drift of the machine
 * hits each alike; the medians are compared. Starting and stopping (and dumping) a recording is
 * timed apart: it happens outside the method.
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.dyno.benchmarks.JfrOverhead [rounds]
 * </pre>
 */
public final class JfrOverhead {

    private static volatile int sink;

    private JfrOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("profile").getSettings());
        // what @JfrRecording adds to the profile settings
        settings.put("jdk.Compilation#threshold", "0 ms");
        settings.put("jdk.ClassLoadingStatistics#period", "everyChunk");
        settings.put("jdk.CPULoad#period", "100 ms");
        Path dir = Files.createTempDirectory("jfr-overhead");
        AsyncProfiler profiler = AsyncProfiler.getInstance();
        for (int i = 0; i < 10; i++) {
            sortBatches(i);   // warm up
        }
        double[] off = new double[rounds];
        double[] jfr = new double[rounds];
        double[] async = new double[rounds];
        double[] startStop = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            off[r] = sortBatches(r);

            long t0 = System.nanoTime();
            try (Recording recording = new Recording(settings)) {
                recording.setToDisk(true);
                recording.start();
                long started = System.nanoTime();
                jfr[r] = sortBatches(r);
                long t1 = System.nanoTime();
                recording.stop();
                recording.dump(dir.resolve("r.jfr"));
                startStop[r] = (started - t0 + System.nanoTime() - t1) / 1e6;
            }

            profiler.execute("start,event=cpu,interval=10ms,file=" + dir.resolve("a.jfr") + ",jfr");
            async[r] = sortBatches(r);
            profiler.execute("stop");
        }
        double base = median(off);
        System.out.printf(Locale.ROOT, "rounds %d, median ms per body (20 sorts of 100 000 ints)%n", rounds);
        System.out.printf(Locale.ROOT, "  off             %8.2f ms%n", base);
        System.out.printf(Locale.ROOT, "  JFR profile     %8.2f ms  %+.1f %%%n", median(jfr), 100 * (median(jfr) / base - 1));
        System.out.printf(Locale.ROOT, "  async-profiler  %8.2f ms  %+.1f %%%n", median(async),
                100 * (median(async) / base - 1));
        System.out.printf(Locale.ROOT, "  JFR start + stop + dump, outside the method: %.1f ms (median)%n",
                median(startStop));
    }

    /** The body of docs-examples' SortPerfTest, in milliseconds. */
    private static double sortBatches(int seed) {
        Random random = new Random(seed);
        long start = System.nanoTime();
        for (int batch = 0; batch < 20; batch++) {
            int[] numbers = random.ints(100_000).toArray();
            Arrays.sort(numbers);
            sink += numbers[numbers.length / 2];
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
