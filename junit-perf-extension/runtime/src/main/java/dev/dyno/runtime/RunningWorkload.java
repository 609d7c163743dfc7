package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.MetricsJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * A workload a {@link WorkloadRuntime} started: its output, exit code, metrics and resource use,
 * and its CPU limit, which can change while it runs.
 *
 * <p>Output is read as it is written. The last {@value #RETAINED_OUTPUT_CHARS} characters of each
 * stream stay in memory ({@link #stdout()}, {@link #stderr()}); the whole of each goes to a log
 * file ({@link #stdoutFile()}), kept after the workload stops so a report can attach it.
 *
 * <pre>{@code
 * try (WorkloadRuntime runtime = Runtimes.open()) {
 *     RunningWorkload busy = runtime.start(WorkloadSpec.ofCommand("python3", "busy.py").withCpuLimit(0.5));
 *     busy.sample();
 *     Thread.sleep(1000);
 *     double before = busy.sample().cpuCores();     // about 0.5
 *     busy.setCpuLimit(1.5);                         // takes effect at once
 *     Thread.sleep(1000);
 *     double after = busy.sample().cpuCores();      // about 1.5
 * }                                                  // stopped, and its cgroup or container removed
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface RunningWorkload extends AutoCloseable {

    /** How many characters of each output stream stay in memory. */
    int RETAINED_OUTPUT_CHARS = 256 * 1024;

    /** The runtime's identifier for it: a process id or a container id. */
    String id();

    /**
     * Where it runs, as a report names it: {@code this machine} for a process, {@code Docker
     * engine tcp://10.0.0.5:2376 (remote; endpoints on 10.0.0.5)} for a container.
     *
     * @since 0.3
     */
    default String where() {
        return "this machine";
    }

    /** {@link WorkloadSpec#name()}, made unique within the run (such as {@code w3-python3}). */
    String name();

    /** What was started. */
    WorkloadSpec spec();

    /** The run this workload belongs to; every trace it leaves carries it. */
    RunId runId();

    /** Where a service of this workload listening on {@code port} is reachable from this JVM. */
    Endpoint endpoint(int port);

    /** Whether its main process is still running. */
    boolean isRunning();

    /** The exit code once it has exited (128 + signal number when a signal ended it). */
    OptionalInt exitCode();

    /**
     * Waits for it to exit and for its output to be read.
     *
     * @return the exit code
     * @throws WorkloadException if it is still running after {@code timeout}
     */
    int awaitExit(Duration timeout);

    /** Waits for the spec's {@link Readiness}; {@link WorkloadRuntime#start} has already done so once. */
    void awaitReady();

    /**
     * Whether {@code readiness} holds now, without waiting: for a caller that watches for a
     * condition while doing something else, such as restoring a CPU boost at readiness or at a
     * deadline, whichever comes first. Start such a workload with {@link Readiness#started()}.
     */
    boolean satisfies(Readiness readiness);

    /**
     * Waits at most {@code timeout} for {@code readiness} to hold, returning early when the workload
     * has finished; whether it holds on return. For a caller that watches for readiness while doing
     * something else on a schedule, such as restoring a CPU boost at readiness: the workload's
     * runtimes are woken by the line, the exit or the answer as it happens, so readiness is seen at
     * once rather than at the caller's next poll. This default polls {@link #satisfies} every 10 ms.
     *
     * @since 0.3
     */
    default boolean awaitSatisfies(Readiness readiness, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!satisfies(readiness) && isRunning()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(left, 10_000_000L));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new WorkloadException("interrupted while waiting for " + readiness);
            }
        }
        return satisfies(readiness);
    }

    /** The retained tail of standard output. */
    String stdout();

    /** The retained tail of standard error. */
    String stderr();

    /** The log file holding the whole of standard output. */
    Path stdoutFile();

    /** The log file holding the whole of standard error. */
    Path stderrFile();

    /**
     * The {@value MetricsJson#MARKER} block of its standard output, if it printed one.
     *
     * @throws dev.dyno.metrics.MalformedMetricsJsonException if the marker is there but the JSON is not
     */
    Optional<MetricsJson> metrics();

    /**
     * Its JVM's flight recording, for a spec with {@link WorkloadSpec#withJvmRecording()}: collected
     * when the workload stops ({@link #stop()}, {@link #kill()}, {@link #close()} or its runtime's
     * close), since a JVM writes it as it exits. Otherwise, or before then, or where no JVM wrote
     * one, {@link JvmRecording#explanation()} says why there is none.
     *
     * @since 0.2
     */
    JvmRecording jvmRecording();

    /**
     * Changes the CPU limit while it runs.
     *
     * @throws InvalidWorkloadSpecException if {@code cores} is not a positive number of at least 0.01
     * @throws IllegalStateException        if it has exited or been stopped
     */
    void setCpuLimit(double cores);

    /** The current CPU limit in cores, as set; empty when unlimited. */
    OptionalDouble cpuLimit();

    /** How the CPU limit is enforced. */
    CpuLimitMechanism cpuLimitMechanism();

    /**
     * Reads its resource use now; CPU is averaged since the previous call. Never waits for the
     * source: a container on a remote engine has a new reading about once a second (its stats
     * stream), and a call with no new reading since the previous one returns that sample again,
     * with the same {@link ResourceSample#timestamp()}. Compare timestamps to know a new window.
     *
     * @throws IllegalStateException if it has been stopped
     */
    ResourceSample sample();

    /**
     * How many CPUs the workload sees (what {@code nproc} or {@code os.sched_getaffinity} tell it).
     * A CFS quota does not change this number; a container-aware JVM rounds its quota up instead.
     */
    int visibleCpus();

    /** Asks it to stop (SIGTERM to the whole process tree), then kills what is left after a short grace. */
    void stop();

    /** Kills it and every process it started at once (SIGKILL). */
    void kill();

    /** Same as {@link #stop()}. */
    @Override
    void close();
}
