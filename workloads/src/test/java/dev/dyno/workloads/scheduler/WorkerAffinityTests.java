package dev.dyno.workloads.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Worker affinity")
class WorkerAffinityTests {

    @Test
    @DisplayName("sends the same container id to the same worker every time")
    void isStable() {
        int first = WorkerAffinity.preferredIndex("container-42", 20);

        assertThat(WorkerAffinity.preferredIndex("container-42", 20)).isEqualTo(first).isBetween(0, 19);
    }

    @Test
    @DisplayName("spreads 100 sequential ids over all 20 workers, a handful each")
    void spreadsSequentialIds() {
        Map<Integer, Integer> perWorker = preferredCounts("container-%d", 100, 20);

        assertThat(perWorker).hasSize(20);
        assertThat(perWorker.values()).allSatisfy(n -> assertThat(n).isBetween(1, 12));
    }

    @Test
    @DisplayName("spreads ids that differ only in the middle even when the worker count is 31")
    void spreadsIdsThatDefeatAPlainHashCode() {
        // web-01-a .. web-99-a: String.hashCode() modulo 31 puts these on two workers.
        Map<Integer, Integer> perWorker = preferredCounts("web-%02d-a", 99, 31);

        assertThat(perWorker).hasSizeGreaterThanOrEqualTo(25);
    }

    @Test
    @DisplayName("needs at least one worker")
    void needsWorkers() {
        assertThatThrownBy(() -> WorkerAffinity.preferredIndex("container-1", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<Integer, Integer> preferredCounts(String idFormat, int ids, int workers) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 1; i <= ids; i++) {
            counts.merge(WorkerAffinity.preferredIndex(String.format(idFormat, i), workers), 1, Integer::sum);
        }
        return counts;
    }
}
