package dev.dyno.cpuboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("restoration is judged from CPU use, not assumed")
class RestorationJudgeTests {

    /** Readings every 100 ms: {@code before} cores until {@code restoreAt}, then {@code after} cores. */
    private static List<CpuSample> samples(double before, double after, long restoreAtMillis, long endMillis,
            long throttledPerSampleAfter) {
        List<CpuSample> samples = new ArrayList<>();
        long cpuNanos = 0;
        long throttled = 0;
        for (long t = 100; t <= endMillis; t += 100) {
            double cores = t <= restoreAtMillis ? before : after;
            cpuNanos += (long) (cores * 100_000_000L);
            if (t > restoreAtMillis) {
                throttled += throttledPerSampleAfter;
            }
            samples.add(new CpuSample(Duration.ofMillis(t), cores, Duration.ofNanos(cpuNanos), 0, 0, throttled));
        }
        return samples;
    }

    private static Restoration judge(List<CpuSample> samples, long restoreAtMillis) {
        return BoostedStart.restoration(Restoration.Trigger.DEADLINE, Optional.of(Duration.ofMillis(restoreAtMillis)),
                Optional.of(Duration.ofMillis(5)), samples, 0.5, 0.15);
    }

    @Test
    @DisplayName("CPU held at the base and throttled after the restore: proven")
    void proven() {
        Restoration r = judge(samples(1.0, 0.5, 1_000, 3_000, 3), 1_000);
        assertThat(r.proven()).contains(true);
        assertThat(r.cpuAfter().getAsDouble()).isCloseTo(0.5, within(1e-6));
        assertThat(r.explanation()).contains("within the base 0.50 + 15 %");
    }

    @Test
    @DisplayName("CPU still at the boosted level after the restore: restoration failed")
    void failed() {
        Restoration r = judge(samples(1.0, 1.0, 1_000, 3_000, 0), 1_000);
        assertThat(r.proven()).contains(false);
        assertThat(r.explanation()).contains("ABOVE the base");
    }

    @Test
    @DisplayName("a workload that used little and was never held back proves nothing either way")
    void idleProvesNothing() {
        Restoration r = judge(samples(0.1, 0.1, 1_000, 3_000, 0), 1_000);
        assertThat(r.proven()).isEmpty();
        assertThat(r.explanation()).contains("did not press against the limit");
    }

    @Test
    @DisplayName("too little time after the restore: unproven, and says how long it had")
    void tooShort() {
        Restoration r = judge(samples(1.0, 0.5, 1_000, 1_500, 3), 1_000);
        assertThat(r.proven()).isEmpty();
        assertThat(r.explanation()).contains("too short to prove");
    }

    @Test
    @DisplayName("the slowdown compares iterations that ended before the restore with those that began after it")
    void slowdown() {
        Instant restore = Instant.ofEpochSecond(1_000);
        String iterations = "[[996.0,0.2],[997.0,0.2],[998.0,0.2],[999.9,0.3],[1001.0,0.4],[1002.0,0.4]]";
        assertThat(BoostedStart.slowdownAfter(iterations, restore).getAsDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(BoostedStart.slowdownAfter("[[996.0,0.2]]", restore)).isEmpty();
        assertThat(BoostedStart.slowdownAfter("not json", restore)).isEmpty();
    }

    @Test
    @DisplayName("one iteration stalled by a neighbour does not decide the slowdown: medians, not means")
    void slowdownOfTypicalIterations() {
        Instant restore = Instant.ofEpochSecond(1_000);
        // 0.15 s during the boost, 0.30 s after it, and one iteration after it stalled for 2 s
        String iterations = "[[997.0,0.15],[997.5,0.15],[998.0,0.16],[998.5,0.15],"
                + "[1000.2,0.30],[1000.6,2.0],[1002.7,0.30],[1003.1,0.31],[1003.5,0.30]]";
        assertThat(BoostedStart.slowdownAfter(iterations, restore).getAsDouble()).isCloseTo(2.0, within(1e-9));
    }
}
