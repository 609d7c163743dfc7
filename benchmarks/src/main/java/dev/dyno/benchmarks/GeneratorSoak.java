package dev.dyno.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.dyno.load.ArrivalRatePacer;
import dev.dyno.load.GeneratorHealth;
import dev.dyno.load.HttpRequestSpec;
import dev.dyno.load.LoadGenerator;
import dev.dyno.load.LoadTarget;
import dev.dyno.load.PhaseStats;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.TimerSnapshot;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How the load generator's cost grows with work: its open model at a fixed 1,000 req/s against a
 * loopback nginx (started here with a config of its own, as {@link LoadVsWrk} does, or {@code --url})
 * for {@code --minutes} (default 10), sampled every {@code --sample-seconds} (default 10):
 * requests answered, heap used after the latest GC (from GC notifications; no GC is ever
 * requested) and now, the memory of the recorder's histograms, the bytes this JVM allocated and
 * its CPU time. At the end it writes the rows as CSV and a PNG chart of heap-after-GC and recorder
 * memory over time to {@code --out} (default {@code benchmarks/target/soak}), and prints a verdict:
 * the slope of heap-after-GC over the second half of the run, the recorder's first and last
 * memory, and the generator's scheduling lag.
 *
 * <pre>
 * apt-get install -y nginx-light
 * ./mvnw -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.dyno.benchmarks.GeneratorSoak [--minutes 10] [--sample-seconds 10] [--out benchmarks/target/soak]
 * </pre>
 * Traffic goes to 127.0.0.1 only.
 */
public final class GeneratorSoak {

    private static final int RATE = 1000;
    private static final String PHASE = "soak";
    /** Not {@link LoadVsWrk}'s 18088, so that both can run on one machine. */
    private static final int PORT = 18089;
    private static final double MB = 1024.0 * 1024.0;

    private GeneratorSoak() {
    }

    /** One sample; heapAfterGc is -1 until the first GC. Allocation and CPU count from the soak's start. */
    record Row(double elapsedSeconds, long ok, long failed, long heapAfterGc, long heapUsed, long recorderBytes,
            int timers, long allocatedBytes, long cpuNanos, long gcs) {
    }

    public static void main(String[] args) throws Exception {
        int minutes = 10;
        int sampleSeconds = 10;
        Path out = Path.of("benchmarks", "target", "soak");
        String url = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Math.max(1, Math.min(24 * 60, Integer.parseInt(args[++i])));
                case "--sample-seconds" -> sampleSeconds = Math.max(1, Integer.parseInt(args[++i]));
                case "--out" -> out = Path.of(args[++i]);
                case "--url" -> url = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --minutes N --sample-seconds S --out DIR --url http://127.0.0.1:PORT/");
            }
        }
        System.setProperty("java.awt.headless", "true");
        Process nginx = null;
        Path dir = null;
        if (url == null) {
            dir = Files.createTempDirectory("dyno-nginx");
            nginx = LoadVsWrk.startNginx(dir, PORT, false);
            url = "http://127.0.0.1:" + PORT + "/";
        }
        URI uri = URI.create(url);
        if (!"127.0.0.1".equals(uri.getHost())) {
            throw new IllegalArgumentException("only 127.0.0.1 may be loaded, not " + uri.getHost());
        }
        try {
            System.out.printf(Locale.ROOT, "[soak] endpoint %s, %,d req/s for %d min, a sample every %d s, %d CPUs, GC %s, max heap %.0f MB%n",
                    uri, RATE, minutes, sampleSeconds, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                            .collect(Collectors.joining(", ")),
                    Runtime.getRuntime().maxMemory() / MB);
            soak(uri, minutes, sampleSeconds, out);
        } finally {
            if (nginx != null) {
                nginx.destroy();
                new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(), "-s", "stop")
                        .redirectErrorStream(true).start().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void soak(URI uri, int minutes, int sampleSeconds, Path out) throws Exception {
        AfterGc afterGc = AfterGc.install();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Row> rows = new ArrayList<>();
        GeneratorHealth health;
        PhaseStats stats;
        try (LoadTarget target = LoadTarget.http(HttpRequestSpec.get(uri))) {
            // Warm the JIT and the connections as LoadVsWrk does, with a generator and recorder of their own.
            try (LoadGenerator warm = new LoadGenerator(target, Recorder.create(), LoadGenerator.Settings.DEFAULT)) {
                warm.open("warm-up", ArrivalRatePacer.constant(RATE, Duration.ofSeconds(3)));
                warm.drain();
            }
            Recorder recorder = Recorder.create();
            try (LoadGenerator generator = new LoadGenerator(target, recorder, LoadGenerator.Settings.DEFAULT)) {
                int samples = minutes * 60 / sampleSeconds;
                CountDownLatch sampled = new CountDownLatch(samples);
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "soak-sampler");
                    t.setDaemon(true);
                    return t;
                });
                long allocatedAtStart = allocatedBytes();
                long cpuAtStart = os.getProcessCpuTime();
                long start = System.nanoTime();
                sampler.scheduleAtFixedRate(() -> {
                    if (sampled.getCount() == 0) {
                        return;
                    }
                    try {
                        MetricsSnapshot metrics = recorder.snapshot();
                        Row row = new Row((System.nanoTime() - start) / 1e9, metrics.counter(PHASE + ".ok"),
                                metrics.counter(PHASE + ".failed"), afterGc.lastUsed(),
                                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), recorderBytes(metrics),
                                metrics.timers().size(), allocatedBytes() - allocatedAtStart,
                                os.getProcessCpuTime() - cpuAtStart, afterGc.count());
                        synchronized (rows) {
                            rows.add(row);
                        }
                        System.out.println(progress(row));
                    } catch (RuntimeException e) {
                        e.printStackTrace();
                    } finally {
                        sampled.countDown();
                    }
                }, sampleSeconds, sampleSeconds, TimeUnit.SECONDS);
                generator.open(PHASE, ArrivalRatePacer.constant(RATE, Duration.ofMinutes(minutes)));
                // The last sample falls due with the schedule's end.
                sampled.await(sampleSeconds + 5L, TimeUnit.SECONDS);
                sampler.shutdownNow();
                generator.drain();
                stats = generator.phases().get(0).stats();
                health = generator.health();
            }
        } finally {
            afterGc.uninstall();
        }
        List<Row> done;
        synchronized (rows) {
            done = List.copyOf(rows);
        }
        Files.createDirectories(out);
        Path csv = out.resolve("generator-soak.csv");
        writeCsv(done, csv);
        Path png = out.resolve("generator-soak.png");
        chart(done, minutes, png);
        verdict(done, stats, health);
        System.out.println("[soak] wrote " + csv + " and " + png);
    }

    private static String progress(Row r) {
        return String.format(Locale.ROOT, "[soak] %,.0f s: %,d answered%s, heap after GC %s, heap now %.1f MB, recorder %.2f MB"
                        + " (%d timers), allocated %,.0f MB, CPU %.1f s, %d GCs",
                r.elapsedSeconds(), r.ok(), r.failed() == 0 ? "" : String.format(Locale.ROOT, " (+%,d failed)", r.failed()),
                r.heapAfterGc() < 0 ? "(no GC yet)" : String.format(Locale.ROOT, "%.1f MB", r.heapAfterGc() / MB),
                r.heapUsed() / MB, r.recorderBytes() / MB, r.timers(), r.allocatedBytes() / MB, r.cpuNanos() / 1e9, r.gcs());
    }

    private static void verdict(List<Row> rows, PhaseStats stats, GeneratorHealth health) {
        if (rows.isEmpty()) {
            System.out.println("[soak] VERDICT: no samples");
            return;
        }
        double end = rows.get(rows.size() - 1).elapsedSeconds();
        List<double[]> secondHalf = rows.stream().filter(r -> r.elapsedSeconds() >= end / 2 && r.heapAfterGc() >= 0)
                .map(r -> new double[] {r.elapsedSeconds() / 60, r.heapAfterGc() / 1024.0}).toList();
        double slope = slope(secondHalf);
        Row first = rows.get(0);
        Row last = rows.get(rows.size() - 1);
        // A sample repeats the latest GC's value until the next GC: with few GCs the slope says little.
        long gcsInSecondHalf = last.gcs() - rows.stream().filter(r -> r.elapsedSeconds() < end / 2)
                .mapToLong(Row::gcs).max().orElse(first.gcs());
        System.out.printf(Locale.ROOT, "[soak] VERDICT heap after GC, second half (%.1f to %.1f min, %d samples, %d GCs):"
                        + " %s KB/min (least squares over the samples)%s%n", end / 120, end / 60, secondHalf.size(),
                gcsInSecondHalf, Double.isNaN(slope) ? "n/a" : String.format(Locale.ROOT, "%+,.1f", slope),
                gcsInSecondHalf < 3 ? "; too few GCs for a trend, run longer" : "");
        System.out.printf(Locale.ROOT, "[soak] VERDICT recorder histograms: %.3f MB (%d timers) at %.0f s, %.3f MB (%d timers) at %.0f s%n",
                first.recorderBytes() / MB, first.timers(), first.elapsedSeconds(), last.recorderBytes() / MB, last.timers(),
                last.elapsedSeconds());
        // Per-request cost in each half: constant when cost grows only with the work.
        Row mid = rows.get((rows.size() - 1) / 2);
        System.out.printf(Locale.ROOT, "[soak] VERDICT per request: %.1f µs JVM CPU (the pacer's spin-waits included) and %,.0f B allocated up to %.0f s, %.1f µs and %,.0f B after%n",
                mid.cpuNanos() / 1e3 / Math.max(1, mid.ok()), (double) mid.allocatedBytes() / Math.max(1, mid.ok()), mid.elapsedSeconds(),
                (last.cpuNanos() - mid.cpuNanos()) / 1e3 / Math.max(1, last.ok() - mid.ok()),
                (double) (last.allocatedBytes() - mid.allocatedBytes()) / Math.max(1, last.ok() - mid.ok()));
        TimerSnapshot lag = health.lag();
        System.out.printf(Locale.ROOT, "[soak] VERDICT lag at %,d req/s: p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.2f ms; %,d of %,d late (> %s);"
                        + " %,d ok, %,d failed, latency p99 %.2f ms%n", RATE,
                lag.median().toNanos() / 1e3, lag.percentile(99).toNanos() / 1e3, lag.percentile(99.9).toNanos() / 1e3,
                lag.max().toNanos() / 1e6, health.late(), health.sent(), DurationText.format(health.lateAfter()), stats.ok(), stats.failed(),
                stats.p99().toNanos() / 1e6);
    }

    /** Least-squares slope of y over x; NaN with fewer than two points. */
    static double slope(List<double[]> points) {
        int n = points.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double my = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (double[] p : points) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /**
     * The histograms the recorder holds. There is no public way to reach a {@code Timer}'s own
     * histograms, so this estimates from what is public: each timer's snapshot carries a copy of its
     * total histogram, of the same range and so the same footprint as the three a {@code Timer}
     * holds (HdrHistogram's {@code Recorder} with its active {@code AtomicHistogram}, the recycled
     * interval histogram and the total). Counters, gauges and distributions are a few objects each;
     * time series are preallocated arrays of fixed size (4,096 points), so neither grows with the run
     * and both are left out.
     */
    private static long recorderBytes(MetricsSnapshot metrics) {
        long bytes = 0;
        for (TimerSnapshot timer : metrics.timers().values()) {
            bytes += 3L * timer.histogram().getEstimatedFootprintInBytes();
        }
        return bytes;
    }

    private static final Method TOTAL_ALLOCATED = totalAllocated();

    private static Method totalAllocated() {
        try {
            return com.sun.management.ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes"); // JDK 21+
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * Bytes this JVM has allocated: on JDK 21+ its own total; on 17 the sum over the threads alive now,
     * which leaves out threads that have ended (the generator's threads live through the soak).
     */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (TOTAL_ALLOCATED != null) {
            try {
                long total = (long) TOTAL_ALLOCATED.invoke(threads);
                if (total >= 0) {
                    return total;
                }
            } catch (ReflectiveOperationException e) {
                // fall through to the per-thread sum
            }
        }
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (bytes > 0) {
                sum += bytes;
            }
        }
        return sum;
    }

    /** Heap used after the latest GC, from the collectors' notifications: the sum over the heap pools. */
    static final class AfterGc implements NotificationListener {
        private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        private final List<NotificationEmitter> emitters = new ArrayList<>();
        private volatile long lastUsed = -1;
        private final AtomicLong count = new AtomicLong();

        static AfterGc install() {
            AfterGc listener = new AfterGc();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, null, null);
                    listener.emitters.add(emitter);
                }
            }
            return listener;
        }

        void uninstall() {
            for (NotificationEmitter emitter : emitters) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (javax.management.ListenerNotFoundException e) {
                    // already gone
                }
            }
        }

        long lastUsed() {
            return lastUsed;
        }

        long count() {
            return count.get();
        }

        @Override
        public void handleNotification(Notification notification, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(pool.getKey())) {
                    used += pool.getValue().getUsed();
                }
            }
            lastUsed = used;
            count.incrementAndGet();
        }
    }

    private static void writeCsv(List<Row> rows, Path csv) throws IOException {
        StringBuilder text = new StringBuilder("elapsed_s,answered_ok,failed,heap_after_gc_bytes,heap_used_bytes,"
                + "recorder_histogram_bytes,timers,allocated_bytes,process_cpu_ns,gcs\n");
        for (Row r : rows) {
            text.append(String.format(Locale.ROOT, "%.3f,%d,%d,%s,%d,%d,%d,%d,%d,%d%n", r.elapsedSeconds(), r.ok(), r.failed(),
                    r.heapAfterGc() < 0 ? "" : String.valueOf(r.heapAfterGc()), r.heapUsed(), r.recorderBytes(), r.timers(),
                    r.allocatedBytes(), r.cpuNanos(), r.gcs()));
        }
        Files.writeString(csv, text, StandardCharsets.UTF_8);
    }

    private static void chart(List<Row> rows, int minutes, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title(String.format(Locale.ROOT, "Generator memory at %,d req/s for %d min", RATE, minutes))
                .xAxisTitle("time (min)").yAxisTitle("MB").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisMin(0.0);
        List<Double> gcX = new ArrayList<>();
        List<Double> gcY = new ArrayList<>();
        List<Double> recX = new ArrayList<>();
        List<Double> recY = new ArrayList<>();
        for (Row r : rows) {
            if (r.heapAfterGc() >= 0) {
                gcX.add(r.elapsedSeconds() / 60);
                gcY.add(r.heapAfterGc() / MB);
            }
            recX.add(r.elapsedSeconds() / 60);
            recY.add(r.recorderBytes() / MB);
        }
        if (!gcX.isEmpty()) {
            chart.addSeries("heap used after the latest GC", gcX, gcY).setMarker(SeriesMarkers.CIRCLE);
        }
        if (!recX.isEmpty()) {
            chart.addSeries("recorder histograms", recX, recY).setMarker(SeriesMarkers.DIAMOND);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
