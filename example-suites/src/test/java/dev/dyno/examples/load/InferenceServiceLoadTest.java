package dev.dyno.examples.load;

import static dev.dyno.load.LoadAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.load.LoadProfile;
import dev.dyno.load.LoadProfile.Http;
import dev.dyno.load.LoadProfile.Load;
import dev.dyno.load.LoadProfile.Soak;
import dev.dyno.load.LoadProfile.Spike;
import dev.dyno.load.LoadProfile.Stress;
import dev.dyno.load.LoadRun;
import dev.dyno.load.StressStep;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

/**
 * The guide "load, spike, stress and soak testing" as a JUnit class, against the inference
 * service of {@code workloads} (2 workers, a queue of 16, CPU work per token). Durations are the
 * guide's; in CI mode ({@code mvn verify}) they are scaled down by {@code ciScale}, with
 * {@code -Pperf} they run in full (about 30 minutes).
 */
@DisplayName("Inference service under load, spike, stress and soak")
class InferenceServiceLoadTest {

    static final String GENERATE_50 = "{\"prompt\":\"def fibonacci(n):\",\"max_tokens\":50}";
    static final String GENERATE_100 = "{\"prompt\":\"def quicksort(items):\",\"max_tokens\":100}";

    // tag::basic-load[]
    @DisplayName("Test 1: basic load — light, medium and heavy all succeed, heavier costs latency not errors")
    @LoadProfile(service = InferenceWorkloads.NAME,
            http = @Http(method = "POST", path = "/generate", body = GENERATE_50, timeout = "60s"),
            load = {@Load(name = "light", requests = 20, concurrency = 2),
                    @Load(name = "medium", requests = 50, concurrency = 5),
                    @Load(name = "heavy", requests = 100, concurrency = 10)},
            thresholds = {"light.success_rate == 100%", "heavy.success_rate == 100%", "heavy.latency p95 < 10s"})
    void basicLoad(LoadRun run) {
        assertThat(run.phase("light")).hasNoFailures().requests().isEqualTo(20);
        assertThat(run.phase("medium")).hasNoFailures().requests().isEqualTo(50);
        assertThat(run.phase("heavy")).hasNoFailures().requests().isEqualTo(100);
        // Two workers: ten users queue, two do not, so heavy load waits longer per request.
        assertThat(run.phase("heavy").mean()).isGreaterThan(run.phase("light").mean());
    }
    // end::basic-load[]

    // tag::spike[]
    @DisplayName("Test 2: spike — 2 → 15 → 2 req/s, every phase succeeds and latency recovers")
    @LoadProfile(service = InferenceWorkloads.NAME, ciScale = 0.1,
            http = @Http(method = "POST", path = "/generate", body = GENERATE_50, timeout = "60s"),
            spike = @Spike(baselineRps = 2, spikeRps = 15, phase = "30s"),
            thresholds = {"spike.success_rate >= 99%", "spike.latency p95 < 5s"})
    void spike(LoadRun run) {
        assertThat(run.phase("baseline")).successRate().isAtLeast(0.99);
        assertThat(run.phase("spike")).successRate().isAtLeast(0.99);
        assertThat(run.phase("spike")).latency().percentile(95).isLessThan(Duration.ofSeconds(5));
        assertThat(run.phase("recovery")).successRate().isAtLeast(0.99);
        assertThat(run.phase("spike").requests()).isEqualTo(run.phase("baseline").requests() * 15 / 2);
        assertThat(run.scaling()).isNotEmpty().allSatisfy(event -> assertThat(event.replicas()).isEqualTo(1));
    }
    // end::spike[]

    // tag::spike-agents[]
    @DisplayName("Test 2, from two load agents: the same spike sent by two JVMs, merged into one result")
    @LoadProfile(service = InferenceWorkloads.NAME, ciScale = 0.1, agents = 2,
            http = @Http(method = "POST", path = "/generate", body = GENERATE_50, timeout = "60s"),
            spike = @Spike(baselineRps = 2, spikeRps = 15, phase = "30s"),
            thresholds = {"spike.success_rate >= 99%", "spike.latency p95 < 5s"})
    void spikeFromTwoAgents(LoadRun run) {
        // Each agent sends every other request of each phase's schedule: together, exactly the one schedule.
        assertThat(run.phase("spike").requests()).isEqualTo(run.phase("baseline").requests() * 15 / 2);
        assertThat(run.phase("spike")).successRate().isAtLeast(0.99);
        assertThat(run.phase("recovery")).successRate().isAtLeast(0.99);
    }
    // end::spike-agents[]

    // tag::stress[]
    @DisplayName("Test 3: stress — 1 req/s up by 3 until the breaking point, which a saturated service must have")
    @LoadProfile(service = InferenceWorkloads.NAME, ciScale = 0.05,
            http = @Http(method = "POST", path = "/generate", body = GENERATE_100, timeout = "30s"),
            // The guide stops at 30 req/s; this service is faster than CodeLlama on some machines, so go on to 90.
            stress = @Stress(startRps = 1, stepRps = 3, maxRps = 90, step = "60s"))
    void stress(LoadRun run) {
        // Two workers and a queue of 16: past its CPU the service must answer 503s, so it breaks.
        assertThat(run).hasBreakingPoint();
        assertThat(run.stressSteps().get(0).verdict()).isEqualTo(StressStep.Verdict.GOOD);
        double breaking = run.breakingPoint().orElseThrow().rps();
        assertThat(breaking).isGreaterThan(4.0);
        assertThat(run.maxSustainableRps()).isLessThan(breaking).isEqualTo(run.breakingPoint().orElseThrow().lastGoodRps());
    }
    // end::stress[]

    // tag::soak[]
    @DisplayName("Test 4: soak — 5 req/s for 10 minutes, per-minute windows, no latency or memory drift")
    @LoadProfile(service = InferenceWorkloads.NAME, ciScale = 0.05,
            http = @Http(method = "POST", path = "/generate", body = GENERATE_50, timeout = "60s"),
            soak = @Soak(rps = 5, duration = "10m", window = "1m", maxLatencyDrift = 1.0, maxMemoryDrift = 1.0),
            thresholds = {"soak.success_rate >= 99%", "soak.latency p99 < 5s"})
    void soak(LoadRun run) {
        assertThat(run.soakWindows()).hasSizeBetween(9, 11)
                .allSatisfy(window -> assertThat(window.successRate()).isGreaterThanOrEqualTo(0.99));
        assertThat(run.soakWindows()).allSatisfy(window -> assertThat(window.memoryBytes()).isPositive());
        assertThat(run).isStable();
    }
    // end::soak[]
}
