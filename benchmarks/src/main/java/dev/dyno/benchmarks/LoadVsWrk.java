package dev.dyno.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.dyno.load.ArrivalRatePacer;
import dev.dyno.load.GeneratorHealth;
import dev.dyno.load.HttpRequestSpec;
import dev.dyno.load.LoadGenerator;
import dev.dyno.load.LoadTarget;
import dev.dyno.load.PhaseRun;
import dev.dyno.load.PhaseStats;
import dev.dyno.metrics.Recorder;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code @LoadProfile}'s generator measured side by side with wrk, in one run, on one loopback
 * endpoint (nginx, started here with a config of its own, or {@code --url}):
 * <ol>
 * <li>maximum rate: wrk and Dyno's closed model with the same connections, interleaved rounds, with
 *     the CPU time Dyno's JVM spent per request; wrk's own CPU per request (its user and system
 *     time, from bash's {@code times}); the JDK HttpClient beside them ({@code --skip-jdk} leaves it
 *     out). {@code --io-threads 1,2} runs Dyno once per I/O thread count in every
 *     round ({@value LoadTarget#IO_THREADS_PROPERTY}); by default it runs with its default count</li>
 * <li>scheduling lag of the open model at a fixed 1,000 req/s, its pacer parking ({@code dyno.load.pacer = park},
 *     the default) and spinning ({@code spin})</li>
 * <li>coordinated omission: a server that stalls once for 1 s in a 20 s run at 100 req/s</li>
 * </ol>
 * With {@code --tls} the same endpoint is served over TLS (a self-signed EC certificate for
 * 127.0.0.1 made with openssl, which Dyno trusts through {@code dyno.load.tls.caFile}): wrk and
 * Dyno both speak HTTPS, the JDK HttpClient is left out, and each Dyno round also prints the TLS
 * handshake time per new connection ({@code http.tls_handshake}) and the TCP connect time.
 *
 * <pre>
 * apt-get install -y wrk nginx-light
 * ./mvnw -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.dyno.benchmarks.LoadVsWrk [--rounds 3] [--seconds 8] [--connections 32] [--io-threads 1,2] [--tls]
 * </pre>
 * Traffic goes to 127.0.0.1 only.
 */
public final class LoadVsWrk {

    private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern WRK_REQUESTS = Pattern.compile("([0-9]+) requests in");
    /** The second line of bash's {@code times}: its children's user and system time, such as {@code 0m1.234s 0m2.345s}. */
    private static final Pattern CHILD_TIMES = Pattern.compile("\\n\\s*\\d+m[0-9.]+s \\d+m[0-9.]+s\\s*\\n\\s*(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s");

    private LoadVsWrk() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int seconds = 8;
        int connections = 32;
        String url = null;
        boolean skipCo = false;
        boolean tls = false;
        boolean skipJdk = false;
        List<Integer> ioThreads = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Math.min(10, Integer.parseInt(args[++i]));
                case "--seconds" -> seconds = Math.min(60, Integer.parseInt(args[++i]));
                case "--connections" -> connections = Math.min(1024, Integer.parseInt(args[++i]));
                case "--url" -> url = args[++i];
                case "--skip-co" -> skipCo = true;
                case "--tls" -> tls = true;
                case "--skip-jdk" -> skipJdk = true;
                case "--io-threads" -> {
                    for (String n : args[++i].split(",")) {
                        ioThreads.add(Integer.parseInt(n.trim()));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --rounds N --seconds N --connections N --io-threads N[,N…] --url http://127.0.0.1:PORT/"
                        + " --skip-co --skip-jdk --tls");
            }
        }
        Process nginx = null;
        Path dir = null;
        if (url == null) {
            dir = Files.createTempDirectory("dyno-nginx");
            int port = tls ? 18443 : 18088;
            nginx = startNginx(dir, port, tls);
            url = (tls ? "https" : "http") + "://127.0.0.1:" + port + "/";
            if (tls) {
                System.setProperty(dev.dyno.config.DynoConfiguration.LOAD_TLS_CA_FILE_PROPERTY, dir.resolve("cert.pem").toString());
            }
        }
        URI uri = URI.create(url);
        if (!uri.getHost().equals("127.0.0.1")) {
            throw new IllegalArgumentException("only 127.0.0.1 may be loaded, not " + uri.getHost());
        }
        try {
            System.out.printf(Locale.ROOT, "endpoint %s, %d connections, %d rounds of %d s, %d CPUs%n", uri, connections,
                    rounds, seconds, Runtime.getRuntime().availableProcessors());
            maxRate(uri, rounds, seconds, connections, ioThreads, skipJdk);
            lagAt1000(uri, "park");
            lagAt1000(uri, "spin");
            if (!skipCo && !tls) {
                coordinatedOmission();
            }
        } finally {
            if (nginx != null) {
                nginx.destroy();
                new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(), "-s", "stop")
                        .redirectErrorStream(true).start().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void maxRate(URI uri, int rounds, int seconds, int connections, List<Integer> ioThreads,
            boolean skipJdk) throws Exception {
        List<Integer> variants = ioThreads.isEmpty() ? List.of(0) : ioThreads; // 0: Dyno's default
        List<Double> wrk = new ArrayList<>();
        List<Double> wrkCpu = new ArrayList<>();
        List<List<double[]>> dyno = new ArrayList<>();
        variants.forEach(v -> dyno.add(new ArrayList<>()));
        List<Double> jdk = new ArrayList<>();
        // Warm Dyno's JIT once, outside the measured rounds (wrk needs none).
        dynoRate(uri, connections, 5, variants.get(0));
        for (int r = 1; r <= rounds; r++) {
            double[] wrkRun = wrkRate(uri, connections, seconds);
            double w = wrkRun[0];
            wrk.add(w);
            wrkCpu.add(wrkRun[1]);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d: wrk %.0f req/s (%.1f µs CPU)", r, w,
                    wrkRun[1]));
            for (int v = 0; v < variants.size(); v++) {
                double[] rate = dynoRate(uri, connections, seconds, variants.get(v));
                dyno.get(v).add(new double[] {rate[0], rate[0] / w, rate[1], rate[2]});
                line.append(String.format(Locale.ROOT, ", Dyno (%s) %.0f req/s = %.0f%% (%.1f µs CPU, %.0f B/request)",
                        label(variants.get(v)), rate[0], 100 * rate[0] / w, rate[1], rate[2]));
            }
            if (!"https".equals(uri.getScheme()) && !skipJdk) {
                jdk.add(closedRate(new LoadJdkHttpTarget(uri, connections), connections, seconds)[0]);
                line.append(String.format(Locale.ROOT, ", JDK HttpClient %.0f req/s", jdk.get(r - 1)));
            }
            System.out.println(line.append("; load average ").append(loadAverage()));
        }
        double w = median(wrk);
        System.out.printf(Locale.ROOT, "WRK (median of %d): %.0f req/s, %.1f µs CPU per request (its user + system time over"
                + " its requests)%n", rounds, w, median(wrkCpu));
        for (int v = 0; v < variants.size(); v++) {
            List<double[]> runs = dyno.get(v);
            double d = median(runs.stream().map(x -> x[0]).toList());
            System.out.printf(Locale.ROOT, "MAX RATE (median of %d): wrk %.0f req/s, Dyno (%s) %.0f req/s = %.0f%% of wrk"
                            + " (median of the rounds' ratios %.0f%%; %.1f µs CPU and %.0f B allocated per request)%n", rounds, w,
                    label(variants.get(v)), d, 100 * d / w, 100 * median(runs.stream().map(x -> x[1]).toList()),
                    median(runs.stream().map(x -> x[2]).toList()), median(runs.stream().map(x -> x[3]).toList()));
        }
        if (!jdk.isEmpty()) {
            System.out.printf(Locale.ROOT, "JDK HttpClient %.0f req/s = %.0f%% of wrk%n", median(jdk), 100 * median(jdk) / w);
        }
    }

    private static String label(int ioThreads) {
        return "Netty " + (io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "NIO") + ", " + (ioThreads == 0 ? "default I/O threads"
                : ioThreads + " I/O thread" + (ioThreads == 1 ? "" : "s"));
    }

    /** Dyno's closed model at {@code ioThreads} I/O threads (0: its default): rate, JVM CPU µs and bytes per request. */
    private static double[] dynoRate(URI uri, int connections, int seconds, int ioThreads) {
        String before = ioThreads == 0 ? System.clearProperty(LoadTarget.IO_THREADS_PROPERTY)
                : System.setProperty(LoadTarget.IO_THREADS_PROPERTY, String.valueOf(ioThreads));
        try {
            return closedRate(LoadTarget.http(HttpRequestSpec.get(uri).withConnections(connections)), connections, seconds);
        } finally {
            if (before == null) {
                System.clearProperty(LoadTarget.IO_THREADS_PROPERTY);
            } else {
                System.setProperty(LoadTarget.IO_THREADS_PROPERTY, before);
            }
        }
    }

    /**
     * Requests per second, and what this JVM spent per successful request: CPU time (µs, JIT and GC
     * included) and bytes allocated by the threads that lived through the run (the I/O threads among them).
     */
    private static double[] closedRate(LoadTarget target, int users, int seconds) {
        Recorder recorder = Recorder.create();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (target; LoadGenerator generator = new LoadGenerator(target, recorder, LoadGenerator.Settings.DEFAULT)) {
            java.util.Map<Long, Long> allocatedBefore = allocatedByThread(threads);
            long cpu = os.getProcessCpuTime();
            PhaseStats stats = generator.closed("max", users, Long.MAX_VALUE, Duration.ofSeconds(seconds)).stats();
            cpu = os.getProcessCpuTime() - cpu;
            // Threads started during the run (an I/O thread starts with its first connection) count from zero.
            long allocated = 0;
            for (var after : allocatedByThread(threads).entrySet()) {
                allocated += after.getValue() - allocatedBefore.getOrDefault(after.getKey(), 0L);
            }
            long ok = stats.ok();
            var metrics = recorder.snapshot();
            metrics.timer("http.tls_handshake").ifPresent(handshake -> System.out.printf(Locale.ROOT,
                    "  new connections: %d, TCP connect p50 %.3f ms, TLS handshake p50 %.3f ms, p99 %.3f ms%n",
                    handshake.count(), metrics.timer("http.connect").map(c -> ms(c.percentile(50))).orElse(Double.NaN),
                    ms(handshake.percentile(50)), ms(handshake.percentile(99))));
            return new double[] {stats.throughput(), ok == 0 ? Double.NaN : cpu / 1e3 / ok,
                    ok == 0 ? Double.NaN : (double) allocated / ok};
        }
    }

    private static java.util.Map<Long, Long> allocatedByThread(com.sun.management.ThreadMXBean threads) {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        java.util.Map<Long, Long> byThread = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** wrk's rate, and the CPU it spent per request (µs): its user and system time, from bash's {@code times}. */
    private static double[] wrkRate(URI uri, int connections, int seconds) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("bash", "-c", "wrk -t1 -c" + connections + " -d" + seconds + "s " + uri
                + " && times").redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
        }
        Matcher m = WRK_RATE.matcher(out);
        Matcher requests = WRK_REQUESTS.matcher(out);
        Matcher times = CHILD_TIMES.matcher(out);
        if (!m.find() || !requests.find() || !times.find()) {
            throw new IllegalStateException("wrk printed no rate (is it installed? apt-get install -y wrk):\n" + out);
        }
        double cpuSeconds = Integer.parseInt(times.group(1)) * 60 + Double.parseDouble(times.group(2))
                + Integer.parseInt(times.group(3)) * 60 + Double.parseDouble(times.group(4));
        return new double[] {Double.parseDouble(m.group(1)), cpuSeconds * 1e6 / Long.parseLong(requests.group(1))};
    }

    /** The open model's scheduling lag at 1,000 req/s for 20 s, with {@code dyno.load.pacer = pacer}. */
    private static void lagAt1000(URI uri, String pacer) {
        String before = System.setProperty(dev.dyno.config.DynoConfiguration.LOAD_PACER_PROPERTY, pacer);
        try {
            lagAt1000(uri);
        } finally {
            if (before == null) {
                System.clearProperty(dev.dyno.config.DynoConfiguration.LOAD_PACER_PROPERTY);
            } else {
                System.setProperty(dev.dyno.config.DynoConfiguration.LOAD_PACER_PROPERTY, before);
            }
        }
    }

    private static void lagAt1000(URI uri) {
        Recorder recorder = Recorder.create();
        try (LoadTarget target = LoadTarget.http(HttpRequestSpec.get(uri));
             LoadGenerator generator = new LoadGenerator(target, recorder, LoadGenerator.Settings.DEFAULT)) {
            generator.open("warm-up", ArrivalRatePacer.constant(1000, Duration.ofSeconds(3)));
            generator.drain();
            Recorder measured = Recorder.create();
            try (LoadGenerator g = new LoadGenerator(target, measured, LoadGenerator.Settings.DEFAULT)) {
                PhaseStats stats = g.open("fixed-1000", ArrivalRatePacer.constant(1000, Duration.ofSeconds(20))).stats();
                g.drain();
                GeneratorHealth health = g.health();
                System.out.printf(Locale.ROOT, "LAG at 1000 req/s for 20 s, pacer " + dev.dyno.config.DynoConfiguration.current().loadPacer()
                                + ": p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.2f ms; "
                                + "%d of %d late (> %s); latency p99 %.2f ms%n",
                        health.lag().median().toNanos() / 1e3, health.lag().percentile(99).toNanos() / 1e3,
                        health.lag().percentile(99.9).toNanos() / 1e3, health.lag().max().toNanos() / 1e6,
                        health.late(), health.sent(), health.lateAfter(), g.phases().get(0).stats().p99().toNanos() / 1e6);
                if (stats.requests() != 20_000) {
                    System.out.println("  (sent " + stats.requests() + ")");
                }
            }
        }
    }

    private static void coordinatedOmission() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        long[] stallAt = {Long.MAX_VALUE};
        boolean[] stalled = {false};
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.createContext("/", exchange -> {
            if (!stalled[0] && System.nanoTime() >= stallAt[0]) {
                stalled[0] = true;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("ok".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        Recorder recorder = Recorder.create();
        try (LoadTarget target = LoadTarget.http(HttpRequestSpec.get(uri).withConnections(1));
             LoadGenerator generator = new LoadGenerator(target, recorder, LoadGenerator.Settings.DEFAULT)) {
            stallAt[0] = System.nanoTime() + 10_000_000_000L;
            PhaseRun phase = generator.open("co", ArrivalRatePacer.constant(100, Duration.ofSeconds(20)));
            generator.drain();
            PhaseStats stats = phase.stats();
            System.out.printf(Locale.ROOT, "COORDINATED OMISSION (1 s stall in 20 s at 100 req/s, 1 connection): corrected p50 %.2f ms,"
                            + " p99 %.0f ms, max %.0f ms; uncorrected (service time) p50 %.2f ms, p99 %.2f ms, max %.0f ms%n",
                    ms(stats.median()), ms(stats.p99()), ms(stats.max()), ms(stats.serviceTime().median()),
                    ms(stats.serviceTime().percentile(99)), ms(stats.serviceTime().max()));
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    /** nginx with one worker answering {@code ok} on 127.0.0.1:{@code port}, over TLS with a fresh certificate if asked. */
    static Process startNginx(Path dir, int port, boolean tls) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        String listen = "listen 127.0.0.1:" + port + ";";
        if (tls) {
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("key.pem").toString(),
                    "-out", dir.resolve("cert.pem").toString()).redirectErrorStream(true).start();
            String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (openssl.waitFor() != 0) {
                throw new IllegalStateException("openssl could not make a certificate: " + out);
            }
            listen = "listen 127.0.0.1:" + port + " ssl; ssl_certificate " + dir.resolve("cert.pem") + "; ssl_certificate_key "
                    + dir.resolve("key.pem") + "; ssl_protocols TLSv1.2 TLSv1.3;";
        }
        Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "worker_processes 1;", "daemon off;", "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("logs/error.log") + ";", "events { worker_connections 4096; }",
                "http { access_log off; keepalive_requests 1000000;",
                "  server { " + listen + " location / { return 200 \"ok\\n\"; } } }", ""));
        Process nginx = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/out.log").toFile()).start();
        Thread.sleep(500);
        if (!nginx.isAlive()) {
            throw new IllegalStateException("nginx did not start (apt-get install -y nginx-light): "
                    + Files.readString(dir.resolve("logs/out.log")));
        }
        return nginx;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
