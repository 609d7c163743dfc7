package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.metrics.Recorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The load generator")
@Timeout(60)
class LoadGeneratorTests {

    private static LoadGenerator generator(LoadTarget target, Recorder recorder) {
        return new LoadGenerator(target, recorder, LoadGenerator.Settings.DEFAULT.withDrainTimeout(Duration.ofSeconds(5))
                .withTick(Duration.ofMillis(100)));
    }

    @Test
    @DisplayName("closed model: 20 requests shared by 2 users, never more than 2 at once")
    void closedModelCounts() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Recorder recorder = Recorder.create();
        try (LoadTarget target = LoadTarget.call("sleeper", 8, () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.sleep(5);
                running.decrementAndGet();
                return null;
            });
             LoadGenerator generator = generator(target, recorder)) {
            PhaseStats light = generator.closed("light", 2, 20, Duration.ofSeconds(30)).stats();
            assertThat(light.requests()).isEqualTo(20);
            assertThat(light.ok()).isEqualTo(20);
            assertThat(light.users()).isEqualTo(2);
            assertThat(most.get()).isEqualTo(2);
            assertThat(light.latency().count()).isEqualTo(20);
            assertThat(light.mean()).isGreaterThanOrEqualTo(Duration.ofMillis(5));
        }
        assertThat(recorder.counter("light.ok").count()).isEqualTo(20);
        assertThat(recorder.snapshot().gauge("light.success_rate").orElseThrow().value()).isEqualTo(1.0);
    }

    @Test
    @DisplayName("open model: sends exactly the scheduled requests at the rate, and counts failures by kind")
    void openModelCounts() {
        AtomicInteger calls = new AtomicInteger();
        Recorder recorder = Recorder.create();
        try (LoadTarget target = LoadTarget.call("every third fails", 4, () -> {
                int n = calls.incrementAndGet();
                if (n % 3 == 0) {
                    throw new TimeoutException("slow");
                }
                return null;
            });
             LoadGenerator generator = generator(target, recorder)) {
            PhaseRun phase = generator.open("steady", ArrivalRatePacer.constant(200, Duration.ofSeconds(1)));
            generator.drain();
            PhaseStats stats = phase.stats();
            assertThat(stats.requests()).isEqualTo(200);
            assertThat(stats.ok() + stats.failed()).isEqualTo(200);
            assertThat(stats.failures()).containsEntry(Outcome.TIMEOUT, stats.failed());
            assertThat(stats.failed()).isEqualTo(66);
            assertThat(stats.duration()).isBetween(Duration.ofMillis(990), Duration.ofMillis(1500));
        }
        assertThat(recorder.timer("generator.lag").snapshot().count()).isEqualTo(200);
    }

    @Test
    @DisplayName("coordinated omission: a 800 ms stall shows in the corrected p99 and not in the service time")
    void coordinatedOmission() throws IOException {
        Recorder recorder = Recorder.create();
        try (StallingServer server = new StallingServer();
             // One connection, like one wrk connection: requests due during the stall wait for it.
             LoadTarget target = LoadTarget.http(HttpRequestSpec.get(server.uri()).withConnections(1));
             LoadGenerator generator = generator(target, recorder)) {
            server.stallOnce(2000, 800);
            PhaseRun phase = generator.open("steady", ArrivalRatePacer.constant(100, Duration.ofSeconds(5)));
            generator.drain();
            PhaseStats stats = phase.stats();
            System.out.println("coordinated omission: corrected p99 " + stats.p99() + ", max " + stats.max()
                    + "; uncorrected (service time) p99 " + stats.serviceTime().percentile(99) + ", max "
                    + stats.serviceTime().max());
            assertThat(stats.ok()).isEqualTo(500);
            // About 80 of 500 requests were due during the stall: 16 %, so p99 sits near the stall's length.
            assertThat(stats.p99()).isGreaterThan(Duration.ofMillis(400));
            assertThat(stats.latency().percentile(90)).isGreaterThan(Duration.ofMillis(50));
            // Only the one request on the wire waited; the service time's p99 does not see the stall.
            assertThat(stats.serviceTime().percentile(99)).isLessThan(Duration.ofMillis(100));
            assertThat(stats.serviceTime().max()).isGreaterThan(Duration.ofMillis(700));
        }
    }

    @Test
    @DisplayName("an unreachable target gives counted connection failures, quickly")
    void unreachableTarget() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Recorder recorder = Recorder.create();
        long start = System.nanoTime();
        try (LoadTarget target = LoadTarget.http(HttpRequestSpec.get(URI.create("http://127.0.0.1:" + port + "/"))
                .withTimeout(Duration.ofSeconds(2)));
             LoadGenerator generator = generator(target, recorder)) {
            PhaseRun phase = generator.open("nobody", ArrivalRatePacer.constant(50, Duration.ofMillis(500)));
            generator.drain();
            PhaseStats stats = phase.stats();
            assertThat(stats.requests()).isEqualTo(25);
            assertThat(stats.ok()).isZero();
            assertThat(stats.failures()).containsEntry(Outcome.CONNECT, 25L);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("drops requests beyond the in-flight limit and abandons what never answers")
    void dropsAndAbandons() {
        Recorder recorder = Recorder.create();
        try (LoadTarget never = new LoadTarget() {
                @Override
                public void send(long intendedNanos, long sentNanos, Completion completion) {
                }

                @Override
                public String description() {
                    return "a black hole";
                }
            };
             LoadGenerator generator = new LoadGenerator(never, recorder, LoadGenerator.Settings.DEFAULT
                     .withMaxInFlight(10).withDrainTimeout(Duration.ofMillis(200)))) {
            PhaseRun phase = generator.open("hole", ArrivalRatePacer.constant(100, Duration.ofMillis(300)));
            assertThat(generator.drain()).isFalse();
            PhaseStats stats = phase.stats();
            assertThat(stats.requests()).isEqualTo(30);
            assertThat(stats.failures()).containsEntry(Outcome.ABANDONED, 10L).containsEntry(Outcome.DROPPED, 20L);
            assertThat(stats.successRate()).isZero();
            assertThat(generator.inFlight()).isZero();
        }
    }
}
