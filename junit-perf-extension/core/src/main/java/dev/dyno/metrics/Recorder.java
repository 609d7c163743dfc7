package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.PerfTest;
import dev.dyno.view.Attachment;
import dev.dyno.view.Chart;
import dev.dyno.view.Step;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apiguardian.api.API;

/**
 * {@code Recorder} is where a performance test puts its measurements. A {@link PerfTest} method
 * declares a parameter of this type and gets a fresh recorder; after the method, thresholds are
 * checked against it and reports are written from it.
 *
 * <pre>{@code
 * @PerfTest(thresholds = {"schedule.total max < 2s", "locks.acquired <= 25"})
 * void schedules100Containers(Recorder recorder) {
 *     recorder.time("schedule.total", () -> scheduler.scheduleAll(requests));
 *     recorder.counter("locks.acquired").add(store.locksTaken());
 * }
 * }</pre>
 *
 * <h2>Names</h2>
 * A metric is created on first use and is then always the same object; look it up once and keep
 * it on hot paths. Names use letters, digits and {@code . _ - / :}. One name has one kind: asking
 * for a timer under a counter's name is an error.
 *
 * <h2>Cost</h2>
 * Recording into a metric you hold is thread-safe and allocation-free; memory stays constant
 * whatever the length of the run.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Recorder {

    /** A recorder outside of JUnit, e.g. in a benchmark or a main method. */
    static Recorder create() {
        return new MetricRegistry();
    }

    /** The latency histogram with this name. */
    Timer timer(String name);

    /** The counter with this name. */
    Counter counter(String name);

    /** The gauge with this name. */
    Gauge gauge(String name);

    /** The time series with this name. */
    TimeSeries series(String name);

    /** The per-key counts with this name. */
    Distribution distribution(String name);

    /** Opens a phase; close it (try-with-resources) to end it. */
    Phase phase(String name);

    /** Records a textual fact of the run, such as the image or the scheduling policy. */
    void attribute(String name, String value);

    /**
     * Adds a table to the report, such as an old-versus-new comparison. Cells are shown as given.
     *
     * <pre>{@code
     * recorder.table("old vs new", List.of("metric", "old", "new"),
     *         List.of(List.of("locks", "100", "20")));
     * }</pre>
     */
    void table(String title, List<String> columns, List<List<String>> rows);

    /**
     * Adds a chart to the report, as data: reporters draw it (Allure as an image, the results file
     * as JSON). See {@link Chart} for an example.
     *
     * @since 0.2
     */
    void chart(Chart chart);

    /**
     * Adds a file to the report: raw data, a page such as a flame graph, or the end of a log.
     *
     * @since 0.2
     */
    void attach(Attachment attachment);

    /**
     * Adds a step that ran, with its real start and duration, to the report's timeline.
     *
     * @since 0.2
     */
    void step(Step step);

    /**
     * Adds a row to a suite-level table of the run's summary: rows of the same {@code section}
     * from every test form one table. Columns are the keys, in their order; the test's name is
     * added as the first column.
     *
     * <pre>{@code
     * recorder.summary("sort: cost by size", Map.of("n", "10000", "p50", "1.2ms"));
     * }</pre>
     *
     * @since 0.2
     */
    void summary(String section, java.util.Map<String, String> cells);

    /**
     * Turns a workload's METRICS_JSON into metrics: fields named {@code *_time} or
     * {@code *_seconds} become timers (seconds), {@code *_ms} timers (milliseconds), other numbers
     * and booleans gauges, strings attributes. A prefix, when not empty, is put before each name
     * with a dot, to keep several workloads apart.
     */
    void ingest(String prefix, MetricsJson metrics);

    /** {@link #ingest(String, MetricsJson)} without a prefix. */
    default void ingest(MetricsJson metrics) {
        ingest("", metrics);
    }

    /** Everything recorded so far, as an immutable snapshot. */
    MetricsSnapshot snapshot();

    /** Records one duration in the named timer. */
    default void record(String timer, Duration duration) {
        timer(timer).record(duration);
    }

    /** Runs the action and records its duration in the named timer. */
    default void time(String timer, Runnable action) {
        timer(timer).time(action);
    }

    /** Calls the action, records its duration in the named timer, and returns its result. */
    default <T> T time(String timer, Callable<T> action) throws Exception {
        return timer(timer).time(action);
    }

    /**
     * Runs the block and records the bytes it allocated on the calling thread in the gauge
     * {@code allocation.<name>}, whose {@code min}, {@code max} and last {@code value} thresholds
     * can name ({@code "allocation.parse max < 1KB"}). The count is the JVM's own per-thread counter:
     * exact, not sampled, and 0 for a block that allocates nothing. Allocations of other threads the
     * block starts or hands work to are not counted; nothing is recorded when the block throws.
     * Like a held metric, a name used again allocates nothing outside the block either.
     *
     * <pre>{@code
     * long bytes = recorder.allocation("parse", () -> parser.parse(line));
     * }</pre>
     *
     * @return the bytes the block allocated
     * @throws UnsupportedOperationException on a JVM without a per-thread allocation counter
     * @since 0.2
     */
    default long allocation(String name, Runnable block) {
        long before = ThreadAllocation.currentThreadBytes();
        block.run();
        long bytes = ThreadAllocation.currentThreadBytes() - before;
        gauge("allocation." + name).set(bytes);
        return bytes;
    }

    /**
     * Calls the block, records the bytes it allocated on the calling thread as
     * {@link #allocation(String, Runnable)} does, and returns its result. Nothing is recorded when
     * the block throws.
     *
     * @since 0.2
     */
    default <T> T allocation(String name, Callable<T> block) throws Exception {
        long before = ThreadAllocation.currentThreadBytes();
        T result = block.call();
        long bytes = ThreadAllocation.currentThreadBytes() - before;
        gauge("allocation." + name).set(bytes);
        return result;
    }

    /** Adds one to the named counter. */
    default void increment(String counter) {
        counter(counter).increment();
    }

    /**
     * {@code part / (part + rest)} of two counters, such as a hit rate from hits and misses; NaN
     * when both are zero.
     */
    default double ratio(String part, String rest) {
        long p = counter(part).count();
        long r = counter(rest).count();
        return p + r == 0 ? Double.NaN : (double) p / (p + r);
    }
}
