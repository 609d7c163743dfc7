package dev.dyno.docs;

import static dev.dyno.load.LoadAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

// tag::imports[]
import dev.dyno.load.LoadProfile;
import dev.dyno.load.LoadProfile.Spike;     // nested in LoadProfile, like Http, Load, Stress, Soak and Ramp
import dev.dyno.load.LoadRun;
import dev.dyno.load.LoadTarget;
// end::imports[]
import dev.dyno.load.LoadProfile.Ramp;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;

/** The snippets of docs/load.md that are not in example-suites, run. */
@DisplayName("docs/load.md")
class LoadExamplesTest {

    // tag::in-process[]
    @LoadProfile(target = "cache", ciScale = 0.02,
            spike = @Spike(baselineRps = 50, spikeRps = 200, phase = "10s"),   // 0.2 s a phase in CI mode
            thresholds = {"spike.success_rate == 100%", "spike.latency p99 < 100ms"})
    void cacheTakesASpike(LoadRun run) {
        assertThat(run.phase("spike")).hasNoFailures();
        assertThat(run.phase("spike").requests()).isGreaterThan(run.phase("baseline").requests());
    }

    LoadTarget cache() {        // named by target = "cache"; closed after the run
        Map<String, String> cache = new ConcurrentHashMap<>(Map.of("k", "v"));
        return LoadTarget.call("in-process cache", 4, () -> cache.get("k"));
    }
    // end::in-process[]

    // tag::keeping-up[]
    @LoadProfile(target = "cache", ciScale = 0.1, drain = "2s",   // after the schedule, wait at most 2 s for a backlog
            ramp = @Ramp(fromRps = 100, toRps = 100, duration = "20s"),   // 2 s in CI mode
            thresholds = {"ramp-1.achieved_rps >= 90", "ramp-1.abandoned == 0"})
    void cacheKeepsUp(LoadRun run) {
        assertThat(run).targetKeptUp();                      // every open-model phase answered at >= 90 % of its rate
        assertThat(run.phase("ramp-1")).keptUpWithin(0.2);   // or with a shortfall of your own
    }
    // end::keeping-up[]
}
