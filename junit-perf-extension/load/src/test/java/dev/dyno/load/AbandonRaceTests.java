package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("A phase abandoned while its answers arrive")
@Timeout(120)
class AbandonRaceTests {

    private static final int REQUESTS = 64;

    /** Holds every request until the test answers it. */
    private static final class HeldTarget implements LoadTarget {
        final List<long[]> sent = new ArrayList<>();
        final List<Completion> completions = new ArrayList<>();

        @Override
        public void send(long intendedNanos, long sentNanos, Completion completion) {
            sent.add(new long[] {intendedNanos, sentNanos});
            completions.add(completion);
        }

        @Override
        public String description() {
            return "held";
        }
    }

    @Test
    @DisplayName("counts every request once, as answered or as abandoned, and leaves nothing in flight")
    void everyRequestCountedOnce() throws Exception {
        for (int trial = 0; trial < 300; trial++) {
            HeldTarget target = new HeldTarget();
            Recorder recorder = Recorder.create();
            try (LoadGenerator generator = new LoadGenerator(target, recorder, LoadGenerator.Settings.DEFAULT)) {
                PhaseRun phase = generator.open("p",
                        ArrivalRatePacer.constant(REQUESTS * 1000.0, Duration.ofMillis(1)));
                assertThat(target.completions).hasSize(REQUESTS);

                CountDownLatch go = new CountDownLatch(1);
                Thread answers = new Thread(() -> {
                    awaitQuietly(go);
                    for (int i = 0; i < REQUESTS; i++) {
                        long[] times = target.sent.get(i);
                        target.completions.get(i).complete(times[0], times[1], Outcome.OK);
                    }
                });
                answers.start();
                go.countDown();
                phase.drain(Duration.ZERO); // gives up on whatever has not answered yet
                answers.join();

                PhaseStats stats = phase.stats();
                long abandoned = stats.failures().getOrDefault(Outcome.ABANDONED, 0L);
                assertThat(stats.ok() + abandoned).as("trial %d: ok %d + abandoned %d", trial, stats.ok(), abandoned)
                        .isEqualTo(REQUESTS);
                assertThat(stats.ok() + stats.failed()).as("trial %d", trial).isEqualTo(stats.requests());
                assertThat(stats.latency().count()).as("trial %d: latencies recorded", trial).isEqualTo(stats.ok());
                assertThat(generator.inFlight()).as("trial %d: in flight", trial).isZero();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
