package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Starts workloads somewhere (local processes, Docker containers, later Kubernetes pods) and owns
 * them: closing the runtime stops every workload it started, and so does a JVM shutdown hook.
 * What a killed JVM left behind is reaped when the next runtime opens.
 *
 * <p>Implementations keep their own types out of this interface, so an experiment written against
 * it runs on any of them.
 *
 * <pre>{@code
 * try (WorkloadRuntime runtime = Runtimes.open()) {          // Docker if an engine answers
 *     RunningWorkload run = runtime.start(WorkloadSpec.ofCommand("python3", "load_test.py")
 *             .withCpuLimit(1)
 *             .withReadiness(Readiness.exit()));
 *     MetricsJson metrics = run.metrics().orElseThrow();
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface WorkloadRuntime extends AutoCloseable {

    /** {@link #parallelStarts()} unless a runtime says otherwise. */
    int PARALLEL_STARTS = 8;

    /** A short name: {@code process}, {@code docker}. */
    String name();

    /**
     * Where this runtime's workloads run, in words for reports: {@code processes on this machine},
     * {@code Docker engine tcp://10.0.0.5:2376 (remote)}.
     *
     * @since 0.2
     */
    default String where() {
        return name();
    }

    /** The identity all of this runtime's workloads carry. */
    RunId runId();

    /**
     * Starts a workload and waits for its {@link WorkloadSpec#readiness()}.
     *
     * @throws InvalidWorkloadSpecException if the spec cannot run here (nothing was started)
     * @throws WorkloadNotReadyException    if it was not ready in time (it has been stopped)
     * @throws WorkloadException            if it could not be started
     */
    RunningWorkload start(WorkloadSpec spec);

    /**
     * Starts every spec, several at once ({@link #parallelStarts()}), and returns the workloads in the
     * specs' order, each as {@link #start} leaves it (running, and ready where its spec says when).
     * All or nothing: when a start fails, the workloads that did start are killed, and the first
     * failure in the specs' order is thrown, with the others' suppressed in it.
     *
     * @since 0.3
     */
    default List<RunningWorkload> startAll(List<WorkloadSpec> specs) {
        return ParallelStarts.startAll(this, List.copyOf(specs), parallelStarts());
    }

    /**
     * How many starts {@link #startAll} runs at once: enough to overlap what each start waits for
     * (an engine's create and start calls, a program's way to readiness), few enough that the
     * machine or the engine is not what they wait for.
     *
     * @since 0.3
     */
    default int parallelStarts() {
        return PARALLEL_STARTS;
    }

    /** Why this runtime cannot run {@code spec}, or empty if it can (files and images are checked at start). */
    Optional<String> unsupportedReason(WorkloadSpec spec);

    /** Whether this runtime can run {@code spec}. */
    default boolean supports(WorkloadSpec spec) {
        return unsupportedReason(spec).isEmpty();
    }

    /** How this runtime enforces CPU limits. */
    CpuLimitMechanism cpuLimitMechanism();

    /** The workloads started and not yet stopped. */
    List<RunningWorkload> workloads();

    /** Stops every workload this runtime started and removes what it made for them. Idempotent. */
    @Override
    void close();
}
