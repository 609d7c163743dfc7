package dev.dyno.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Worker failure classification")
class WorkerFailureTests {

    @Test
    @DisplayName("a worker that exits 0 with metrics succeeded; without metrics its work is unknown")
    void success() {
        assertThat(WorkerFailure.classify(0, false, Optional.empty(), true, "")).isEmpty();
        assertThat(WorkerFailure.classify(0, false, Optional.empty(), false, "")).contains(WorkerFailure.NO_METRICS);
    }

    @Test
    @DisplayName("out of memory: reported by the worker, printed by CUDA or Python, or the OOM killer's SIGKILL")
    void outOfMemory() {
        assertThat(WorkerFailure.classify(3, false, Optional.of("out_of_memory"), true, ""))
                .contains(WorkerFailure.OUT_OF_MEMORY);
        assertThat(WorkerFailure.classify(1, false, Optional.empty(), false,
                "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB"))
                .contains(WorkerFailure.OUT_OF_MEMORY);
        assertThat(WorkerFailure.classify(1, false, Optional.empty(), false, "Traceback ...\nMemoryError"))
                .contains(WorkerFailure.OUT_OF_MEMORY);
        assertThat(WorkerFailure.classify(137, false, Optional.empty(), false, "")).contains(WorkerFailure.OUT_OF_MEMORY);
    }

    @Test
    @DisplayName("a worker Dyno killed at the timeout timed out, whatever its exit code")
    void timeout() {
        assertThat(WorkerFailure.classify(137, true, Optional.empty(), false, "")).contains(WorkerFailure.TIMEOUT);
    }

    @Test
    @DisplayName("another signal is a crash; any other exit code a non-zero exit")
    void crashAndNonZero() {
        assertThat(WorkerFailure.classify(139, false, Optional.empty(), false, "")).contains(WorkerFailure.CRASH);
        assertThat(WorkerFailure.classify(134, false, Optional.empty(), false, "")).contains(WorkerFailure.CRASH);
        assertThat(WorkerFailure.classify(2, false, Optional.empty(), false, "usage: ...")).contains(WorkerFailure.NON_ZERO_EXIT);
    }
}
