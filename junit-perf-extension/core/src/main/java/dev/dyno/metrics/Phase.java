package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * A named stretch of a test, such as "import" or "first computation". Phases opened inside another
 * phase on the same thread nest under it; each becomes an Allure step with its duration, and its
 * duration is also recorded in the timer {@code phase.<path>} (characters not allowed in metric names, such as spaces, become underscores) so
 * thresholds can refer to it: {@code "phase.first_computation max < 1s"}.
 *
 * <pre>{@code
 * try (Phase load = recorder.phase("load")) {
 *     loadEverything();
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Phase implements AutoCloseable {

    private final MetricRegistry registry;
    private final Phase parent;
    private final String name;
    private final String path;
    private final long startNanos;
    private final long startEpochMillis;
    private final String threadName;
    private boolean failed;
    private boolean closed;

    Phase(MetricRegistry registry, Phase parent, String name) {
        this.registry = registry;
        this.parent = parent;
        this.name = name;
        this.path = parent == null ? name : parent.path + "/" + name;
        this.threadName = Thread.currentThread().getName();
        this.startEpochMillis = System.currentTimeMillis();
        this.startNanos = System.nanoTime();
    }

    public String name() {
        return name;
    }

    /** The names from the outermost phase down to this one, joined by {@code /}. */
    public String path() {
        return path;
    }

    /** The timer that records the durations of phases with this path. */
    static String timerName(String path) {
        return "phase." + path.replaceAll("[^A-Za-z0-9_.:/\\-]", "_");
    }

    Phase parent() {
        return parent;
    }

    /** Marks the phase as failed: its Allure step shows as failed. */
    public void markFailed() {
        failed = true;
    }

    /** Ends the phase. Closing twice has no further effect. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long duration = System.nanoTime() - startNanos;
        registry.phaseEnded(this, new PhaseRecord(name, path, depth(), startEpochMillis,
                startNanos - registry.originNanos(), duration, threadName, failed));
    }

    private int depth() {
        return parent == null ? 0 : parent.depth() + 1;
    }

    /**
     * A finished phase.
     *
     * @param startOffsetNanos when it started, in nanoseconds since the test started
     * @since 0.1
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record PhaseRecord(String name, String path, int depth, long startEpochMillis, long startOffsetNanos,
            long durationNanos, String thread, boolean failed) {

        public Duration duration() {
            return Duration.ofNanos(durationNanos);
        }

        /** The path of the enclosing phase, or empty for an outermost phase. */
        public String parentPath() {
            int slash = path.lastIndexOf('/');
            return slash < 0 ? "" : path.substring(0, slash);
        }
    }
}
