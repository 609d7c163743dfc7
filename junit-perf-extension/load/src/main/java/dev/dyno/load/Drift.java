package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.apiguardian.api.API;

/**
 * Whether a soak degraded: a least-squares line is fitted through the windows' p95 latency and
 * memory, and its rise from the first window to the last is given relative to the mean. Fitting a
 * line, rather than comparing the first and last windows, keeps one noisy window from deciding.
 * With four windows or more, the first is a warm-up and left out.
 *
 * @param latencyChange    the fitted rise of p95 latency across the soak, relative to its mean (0.1 = +10 %)
 * @param memoryChange     the same for the service's memory; NaN when memory was not sampled
 * @param maxLatencyChange the rise above which latency counts as trending up
 * @param maxMemoryChange  the rise above which memory counts as trending up
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Drift(double latencyChange, double memoryChange, double maxLatencyChange, double maxMemoryChange) {

    public boolean latencyTrendingUp() {
        return latencyChange > maxLatencyChange;
    }

    public boolean memoryTrendingUp() {
        return !Double.isNaN(memoryChange) && memoryChange > maxMemoryChange;
    }

    /** Neither latency nor memory trends up. */
    public boolean stable() {
        return !latencyTrendingUp() && !memoryTrendingUp();
    }

    public String describe() {
        return String.format(Locale.ROOT, "p95 latency %+.1f%% (limit +%.0f%%)%s, memory %s (limit +%.0f%%)%s",
                100 * latencyChange, 100 * maxLatencyChange, latencyTrendingUp() ? " TRENDING UP" : "",
                Double.isNaN(memoryChange) ? "not sampled" : String.format(Locale.ROOT, "%+.1f%%", 100 * memoryChange),
                100 * maxMemoryChange, memoryTrendingUp() ? " TRENDING UP" : "");
    }

    static Drift of(List<SoakWindow> all, double maxLatency, double maxMemory) {
        // The first window is the warm-up (JIT, caches, heap growth) when there are enough others.
        List<SoakWindow> windows = all.size() >= 4 ? all.subList(1, all.size()) : all;
        List<SoakWindow> answered = windows.stream().filter(w -> w.ok() > 0).toList();
        double latency = relativeRise(answered, w -> w.p95().toNanos());
        List<SoakWindow> sampled = windows.stream().filter(w -> w.memoryBytes() > 0).toList();
        double memory = sampled.size() < 2 ? Double.NaN : relativeRise(sampled, SoakWindow::memoryBytes);
        return new Drift(latency, memory, maxLatency, maxMemory);
    }

    /** The fitted line's rise from the first to the last point, over the mean of the points. */
    static double relativeRise(List<SoakWindow> points, ToDoubleFunction<SoakWindow> value) {
        int n = points.size();
        if (n < 2) {
            return 0;
        }
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < n; i++) {
            sumX += i;
            sumY += value.applyAsDouble(points.get(i));
        }
        double meanX = sumX / n;
        double meanY = sumY / n;
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            double dx = i - meanX;
            covariance += dx * (value.applyAsDouble(points.get(i)) - meanY);
            variance += dx * dx;
        }
        return meanY == 0 ? 0 : covariance / variance * (n - 1) / meanY;
    }

    /** Records the drift's gauges ({@code soak.latency.drift}, and {@code soak.memory.drift} when sampled) and says it. */
    void report(dev.dyno.metrics.Recorder recorder, java.util.function.Consumer<String> progress) {
        recorder.gauge("soak.latency.drift").set(latencyChange);
        if (!Double.isNaN(memoryChange)) {
            recorder.gauge("soak.memory.drift").set(memoryChange);
        }
        progress.accept("soak drift: " + describe());
    }
}
