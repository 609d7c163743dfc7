package dev.dyno.docs;

import static dev.dyno.load.LoadAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

// tag::imports[]
import dev.dyno.load.LoadProfile;
import dev.dyno.load.LoadProfile.Spike;     // nested in LoadProfile, like Http, Load, Stress, Soak and Ramp
import dev.dyno.load.LoadRun;
import dev.dyno.load.LoadTarget;
// end::imports[]
import dev.dyno.load.LoadProfile.Check;
import dev.dyno.load.LoadProfile.Feed;
import dev.dyno.load.LoadProfile.Http;
import dev.dyno.load.LoadProfile.Ramp;
import dev.dyno.load.LoadProfile.Request;
import java.util.List;
import org.junit.jupiter.api.Disabled;
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

    @Disabled("a template for a staging service: compiled, never run here")
    // tag::staging[]
    @LoadProfile(ciScale = 0.1,
            http = @Http(url = "https://staging.example.test",
                    resolve = "staging.example.test:443:127.0.0.1",   // optional, as curl --resolve; drop it to use DNS
                    headers = "Authorization: Bearer ${env:STAGING_TOKEN}",   // never shown in reports or logs
                    feed = @Feed(method = "items"),                            // or file = "src/test/resources/items.csv"
                    checks = @Check(header = "X-Request-Id"),
                    requests = {
                        @Request(name = "items", weight = 70, path = "/api/items/{id}",
                                checks = @Check(jsonPointer = "/status", equalTo = "in-stock")),
                        @Request(name = "orders", weight = 30, method = "POST", path = "/api/orders",
                                body = "{\"item\":\"{id}\",\"quantity\":1}", expectStatus = 201)}),
            ramp = @Ramp(fromRps = 10, toRps = 50, duration = "5m"),
            thresholds = {"ramp-1.items.latency p95 < 300ms", "ramp-1.orders.latency p95 < 800ms",
                "ramp-1.success_rate >= 99%", "http.tls_handshake p95 < 50ms"})
    void stagingHoldsTheMix(LoadRun run) {
        assertThat(run.checkFailures()).isEmpty();
        assertThat(run.traffic()).hasSize(1);
    }

    static List<Map<String, Object>> items() {   // named by @Feed(method = "items"); rows used in turn
        return List.of(Map.of("id", 1041), Map.of("id", 1042), Map.of("id", 2077));
    }
    // end::staging[]
}
