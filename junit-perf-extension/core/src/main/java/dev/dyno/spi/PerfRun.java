package dev.dyno.spi;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dyno.assertions.Threshold;
import dev.dyno.metrics.MetricRegistry;
import dev.dyno.report.TestOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * What one perf-test invocation holds between its start and its report: the recorder, the
 * thresholds (the annotation's and those capabilities add) and the steps that run on the outcome.
 * It lives in the invocation's store, so parallel tests and the invocations of a template never
 * see each other's metrics. {@code @PerfTest}'s extension creates it; capabilities reach it through
 * {@link PerfContext}.
 *
 * @since 0.2
 */
@API(status = INTERNAL, since = "0.2")
public final class PerfRun {

    private static final Namespace NAMESPACE = Namespace.create(PerfRun.class);
    private static final String KEY = "run";

    private final List<Threshold> thresholds;
    private final MetricRegistry recorder = new MetricRegistry();
    private final Instant start = Instant.now();
    private final List<Consumer<TestOutcome>> outcomeSteps = new CopyOnWriteArrayList<>();

    private PerfRun(List<Threshold> thresholds) {
        this.thresholds = new CopyOnWriteArrayList<>(thresholds);
    }

    /** Starts the run of the invocation {@code context} belongs to, with the annotation's thresholds. */
    public static PerfRun start(ExtensionContext context, List<Threshold> thresholds) {
        PerfRun run = new PerfRun(thresholds);
        context.getStore(NAMESPACE).put(KEY, run);
        return run;
    }

    /** The run of the invocation {@code context} belongs to, if it is a perf test. */
    public static Optional<PerfRun> of(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(KEY, PerfRun.class));
    }

    public MetricRegistry recorder() {
        return recorder;
    }

    /** The thresholds to check; capabilities add theirs before the method runs. */
    public List<Threshold> thresholds() {
        return thresholds;
    }

    public Instant start() {
        return start;
    }

    /** Steps that see the outcome before it is reported, in the order they were added. */
    public List<Consumer<TestOutcome>> outcomeSteps() {
        return outcomeSteps;
    }
}
