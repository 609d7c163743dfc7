package dev.dyno.gpu;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Why a GPU worker failed.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum WorkerFailure {
    /** It ran out of (device or host) memory: "CUDA out of memory", a MemoryError, or the OOM killer (exit 137). */
    OUT_OF_MEMORY,
    /** It was still running at the timeout and was killed. */
    TIMEOUT,
    /** A signal ended it (segmentation fault, abort, …). */
    CRASH,
    /** It exited with a code other than zero. */
    NON_ZERO_EXIT,
    /** It exited with zero but printed no METRICS_JSON block, so its work is unknown. */
    NO_METRICS,
    /**
     * It was still running when the test's own timeout ({@code @Timeout}) interrupted the run, and
     * was stopped; the workers that had finished are reported as they finished.
     */
    STOPPED;

    private static final int SIGKILL_EXIT = 128 + 9;
    private static final Pattern OUT_OF_MEMORY_TEXT = Pattern.compile(
            "out of memory|outofmemoryerror|memoryerror|cudaerrormemoryallocation|cannot allocate memory",
            Pattern.CASE_INSENSITIVE);

    /**
     * Classifies a finished worker.
     *
     * @param exitCode    its exit code (128 + signal when a signal ended it)
     * @param timedOut    whether Dyno killed it at the timeout
     * @param errorField  the {@code error} field of its METRICS_JSON, if any
     * @param hasMetrics  whether it printed a METRICS_JSON block
     * @param outputTail  the end of its stdout and stderr, searched for out-of-memory messages
     * @return empty when it succeeded
     */
    static Optional<WorkerFailure> classify(int exitCode, boolean timedOut, Optional<String> errorField,
            boolean hasMetrics, String outputTail) {
        if (timedOut) {
            return Optional.of(TIMEOUT);
        }
        boolean reportedOom = errorField.map(e -> e.toLowerCase(Locale.ROOT).contains("memory")).orElse(false);
        if (exitCode == 0) {
            if (reportedOom) {
                return Optional.of(OUT_OF_MEMORY);
            }
            return hasMetrics ? Optional.empty() : Optional.of(NO_METRICS);
        }
        // SIGKILL that Dyno did not send is, in practice, the kernel's OOM killer (cgroup or host).
        if (reportedOom || exitCode == SIGKILL_EXIT || OUT_OF_MEMORY_TEXT.matcher(outputTail).find()) {
            return Optional.of(OUT_OF_MEMORY);
        }
        return Optional.of(exitCode > 128 ? CRASH : NON_ZERO_EXIT);
    }
}
