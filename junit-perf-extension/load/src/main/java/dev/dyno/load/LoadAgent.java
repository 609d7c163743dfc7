package dev.dyno.load;

import dev.dyno.metrics.Recorder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.HistogramLogWriter;

/**
 * One agent of a distributed load: a JVM of its own that sends its share of an open-model rate to
 * a URL from a start time common to all agents, and writes what it measured as an HdrHistogram
 * interval log (HdrHistogram's own format, one interval a second, tagged {@code latency}: the
 * latency of each successful request from its intended start, free of coordinated omission). At
 * the end it prints its counts as a METRICS_JSON block. {@link AgentLogs} merges the agents' logs.
 *
 * <pre>
 * java -cp … dev.dyno.load.LoadAgent --url http://127.0.0.1:8080/ --rate 500 --duration PT10S \
 *     --start-at 1796560000000 --log agent-1.hlog
 * </pre>
 */
public final class LoadAgent {

    /** The tag of the latency histograms in an agent's log. */
    static final String LATENCY_TAG = "latency";

    private LoadAgent() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        URI url = URI.create(required(options, "url"));
        double rate = Double.parseDouble(required(options, "rate"));
        Duration duration = Duration.parse(required(options, "duration"));
        long startAt = Long.parseLong(required(options, "start-at"));
        Path log = Path.of(required(options, "log"));
        System.exit(run(url, rate, duration, startAt, log, System.out));
    }

    static int run(URI url, double rate, Duration duration, long startAtEpochMillis, Path log, PrintStream out)
            throws IOException, InterruptedException {
        Recorder recorder = Recorder.create();
        try (PrintStream file = new PrintStream(Files.newOutputStream(log), true, "UTF-8");
             LoadTarget target = LoadTarget.http(HttpRequestSpec.get(url));
             LoadGenerator generator = new LoadGenerator(target, recorder, LoadGenerator.Settings.DEFAULT)) {
            HistogramLogWriter writer = new HistogramLogWriter(file);
            writer.outputLogFormatVersion();
            writer.outputStartTime(startAtEpochMillis);
            writer.setBaseTime(startAtEpochMillis);
            writer.outputLegend();
            generator.addTickListener((nanoTime, phase, latency, ok, failed) -> {
                synchronized (writer) {
                    long end = System.currentTimeMillis();
                    latency.setStartTimeStamp(end - 1000);
                    latency.setEndTimeStamp(end);
                    latency.setTag(LATENCY_TAG);
                    writer.outputIntervalHistogram(latency);
                }
            });
            long wait = startAtEpochMillis - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            PhaseRun phase = generator.open("agent", ArrivalRatePacer.constant(rate, duration));
            boolean drained = generator.drain();
            generator.close(); // its last, partial tick goes to the log too
            PhaseStats stats = phase.stats();
            out.println("=== METRICS_JSON ===");
            out.printf(Locale.ROOT, "{\"requests\": %d, \"ok\": %d, \"failed\": %d, \"late\": %d, \"drained\": %s}%n",
                    stats.requests(), stats.ok(), stats.failed(), stats.late(), drained);
            return 0;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
