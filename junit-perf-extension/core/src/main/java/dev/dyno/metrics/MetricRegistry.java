package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dyno.metrics.Recorder;
import dev.dyno.view.Attachment;
import dev.dyno.view.Chart;
import dev.dyno.view.Step;
import dev.dyno.view.SummaryRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The {@link Recorder} behind every test: a concurrent map from names to metrics.
 * Use it through {@link Recorder}; this class is not API.
 */
@API(status = INTERNAL, since = "0.1")
public final class MetricRegistry implements Recorder {

    static final int MAX_PHASES = 10_000;
    static final int MAX_TABLES = 100;
    static final int MAX_ATTACHMENTS = 500;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/\\-]+");

    private final Instant startedAt = Instant.now();
    private final long originNanos = System.nanoTime();
    private final ConcurrentHashMap<String, Metric> metrics = new ConcurrentHashMap<>();
    private final Map<String, String> attributes = new ConcurrentSkipListMap<>();
    private final ThreadLocal<Phase> currentPhase = new ThreadLocal<>();
    // Guarded by itself; bounded so a phase per request cannot grow memory without end.
    private final List<Phase.PhaseRecord> phases = new ArrayList<>();
    private long droppedPhases;
    private final List<ReportTable> tables = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Chart> charts = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Attachment> attachments = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Step> steps = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<SummaryRow> summaries = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public Timer timer(String name) {
        return lookup(name, Timer.class, Timer::new);
    }

    @Override
    public Counter counter(String name) {
        return lookup(name, Counter.class, Counter::new);
    }

    @Override
    public Gauge gauge(String name) {
        return lookup(name, Gauge.class, Gauge::new);
    }

    @Override
    public TimeSeries series(String name) {
        return lookup(name, TimeSeries.class, n -> new TimeSeries(n, originNanos));
    }

    @Override
    public Distribution distribution(String name) {
        return lookup(name, Distribution.class, Distribution::new);
    }

    // allocation(name, ...) by its short name: the gauge's own name would be a new string on every call
    private final ConcurrentHashMap<String, Gauge> allocationGauges = new ConcurrentHashMap<>();

    @Override
    public long allocation(String name, Runnable block) {
        Gauge gauge = allocationGauge(name);
        long before = ThreadAllocation.currentThreadBytes();
        block.run();
        long bytes = ThreadAllocation.currentThreadBytes() - before;
        gauge.set(bytes);
        return bytes;
    }

    @Override
    public <T> T allocation(String name, java.util.concurrent.Callable<T> block) throws Exception {
        Gauge gauge = allocationGauge(name);
        long before = ThreadAllocation.currentThreadBytes();
        T result = block.call();
        gauge.set(ThreadAllocation.currentThreadBytes() - before);
        return result;
    }

    private Gauge allocationGauge(String name) {
        Gauge gauge = allocationGauges.get(name);
        if (gauge == null) {
            gauge = gauge("allocation." + name);
            allocationGauges.putIfAbsent(name, gauge);
        }
        return gauge;
    }

    private <M extends Metric> M lookup(String name, Class<M> kind, Function<String, M> factory) {
        Metric metric = metrics.get(name);
        if (metric == null) {
            checkName(name);
            metric = metrics.computeIfAbsent(name, factory);
        }
        if (!kind.isInstance(metric)) {
            throw new IllegalArgumentException("metric '" + name + "' is a " + metric.getClass().getSimpleName()
                    + ", not a " + kind.getSimpleName() + "; one name has one kind");
        }
        return kind.cast(metric);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name
                    + "' is not allowed: use letters, digits and . _ - / : (no spaces)");
        }
    }

    @Override
    public Phase phase(String name) {
        if (name == null || name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException("phase name '" + name + "' is not allowed: it must not be blank"
                    + " and must not contain '/', which separates nested phases");
        }
        Phase phase = new Phase(this, currentPhase.get(), name);
        currentPhase.set(phase);
        return phase;
    }

    void phaseEnded(Phase phase, Phase.PhaseRecord record) {
        if (currentPhase.get() == phase) {
            if (phase.parent() == null) {
                currentPhase.remove();
            } else {
                currentPhase.set(phase.parent());
            }
        }
        timer(Phase.timerName(record.path())).recordNanos(record.durationNanos());
        synchronized (phases) {
            if (phases.size() < MAX_PHASES) {
                phases.add(record);
            } else {
                droppedPhases++;
            }
        }
    }

    long originNanos() {
        return originNanos;
    }

    @Override
    public void attribute(String name, String value) {
        checkName(name);
        attributes.put(name, String.valueOf(value));
    }

    @Override
    public void table(String title, List<String> columns, List<List<String>> rows) {
        if (tables.size() >= MAX_TABLES) {
            throw new IllegalStateException("a test can add at most " + MAX_TABLES + " tables to its report");
        }
        tables.add(new ReportTable(title, columns, rows));
    }

    @Override
    public void chart(Chart chart) {
        bounded(charts, java.util.Objects.requireNonNull(chart, "chart"), MAX_TABLES, "charts");
    }

    @Override
    public void attach(Attachment attachment) {
        bounded(attachments, java.util.Objects.requireNonNull(attachment, "attachment"), MAX_ATTACHMENTS, "attachments");
    }

    @Override
    public void summary(String section, Map<String, String> cells) {
        bounded(summaries, new SummaryRow(section, cells), MAX_TABLES, "summary rows");
    }

    @Override
    public void step(Step step) {
        bounded(steps, java.util.Objects.requireNonNull(step, "step"), MAX_PHASES, "steps");
    }

    /** Report content is bounded, so a call per request cannot grow memory without end. */
    private static <T> void bounded(List<T> list, T item, int max, String what) {
        synchronized (list) {
            if (list.size() >= max) {
                throw new IllegalStateException("a test can add at most " + max + " " + what + " to its report");
            }
            list.add(item);
        }
    }

    @Override
    public void ingest(String prefix, MetricsJson block) {
        block.fields().forEach((field, value) -> {
            String name = prefix == null || prefix.isEmpty() ? field : prefix + "." + field;
            if (value instanceof Number number) {
                switch (MetricsJson.unitOf(field)) {
                    case SECONDS -> timer(name).recordNanos(Math.round(number.doubleValue() * 1e9));
                    case MILLISECONDS -> timer(name).recordNanos(Math.round(number.doubleValue() * 1e6));
                    case NONE -> gauge(name).set(number.doubleValue());
                }
            } else if (value instanceof Boolean flag) {
                gauge(name).set(flag ? 1 : 0);
            } else {
                attribute(name, String.valueOf(value));
            }
        });
    }

    @Override
    public MetricsSnapshot snapshot() {
        Map<String, TimerSnapshot> timers = new TreeMap<>();
        Map<String, Long> counters = new TreeMap<>();
        Map<String, Gauge.GaugeSnapshot> gauges = new TreeMap<>();
        Map<String, TimeSeriesSnapshot> series = new TreeMap<>();
        Map<String, DistributionSnapshot> distributions = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            // Java 17 has no pattern switch; the sealed Metric keeps this list complete.
            if (metric instanceof Timer t) {
                timers.put(name, t.snapshot());
            } else if (metric instanceof Counter c) {
                counters.put(name, c.snapshot());
            } else if (metric instanceof Gauge g) {
                gauges.put(name, g.snapshot());
            } else if (metric instanceof TimeSeries s) {
                series.put(name, s.snapshot());
            } else if (metric instanceof Distribution d) {
                distributions.put(name, d.snapshot());
            }
        });
        List<Phase.PhaseRecord> phaseCopy;
        long dropped;
        synchronized (phases) {
            phaseCopy = new ArrayList<>(phases);
            dropped = droppedPhases;
        }
        // Phases are kept in the order they ended; readers want the order they began.
        phaseCopy.sort(java.util.Comparator.comparingLong(Phase.PhaseRecord::startOffsetNanos));
        return new MetricsSnapshot(startedAt, System.nanoTime() - originNanos, timers, counters, gauges, series,
                distributions, phaseCopy, dropped, new TreeMap<>(attributes), copy(tables), copy(charts), copy(attachments), copy(steps), copy(summaries));
    }

    private static <T> List<T> copy(List<T> list) {
        synchronized (list) {
            return List.copyOf(list);
        }
    }
}
