package dev.dyno.load;

import static dev.dyno.load.TestCertificates.HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;

import dev.dyno.PerfTest;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.load.LoadProfile.Http;
import dev.dyno.load.LoadProfile.Soak;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The same open-model soak sent by one load agent and by two, through {@code @LoadProfile(agents)}:
 * the merged counts are the whole schedule's either way, and the percentiles agree within noise.
 * The figures are printed for the docs; only what holds on a busy machine is asserted.
 */
@DisplayName("Distributed load: one agent against two at the same total rate")
@Timeout(180)
class DistributedLoadTests {

    static final double TOTAL_RATE = 400;
    static final long EXPECTED = 2000; // 400 req/s for 5 s
    static final AtomicReference<LoadRun> RUN = new AtomicReference<>();
    static final AtomicReference<MetricsSnapshot> METRICS = new AtomicReference<>();

    @TempDir
    Path results;

    record Measured(LoadRun run, MetricsSnapshot metrics) {
        PhaseStats soak() {
            return run.phase("soak");
        }

        double ms(double percentile) {
            return soak().latency().percentile(percentile).toNanos() / 1e6;
        }

        double cpuPerRequestMicros() {
            return metrics.gauge("load.agents.cpu_per_request_us").orElseThrow().value();
        }
    }

    private Measured run(String method, RawHttpServer server) {
        RUN.set(null);
        EngineTestKit.engine("junit-jupiter").selectors(selectMethod(Cases.class, method, LoadRun.class.getName() + ","
                        + Recorder.class.getName()))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(LoadProfileExtensionTests.OnlyInTestKit.PARAMETER, "true")
                .configurationParameter(DynoConfiguration.LOAD_RESOLVE_PROPERTY, HOST + ":8080:127.0.0.1:" + server.port())
                .execute().testEvents().assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
        return new Measured(RUN.get(), METRICS.get());
    }

    @Test
    @DisplayName("at the same total rate, 2 agents and 1 agent send the whole schedule, every request counted once, with the same percentiles within noise")
    void twoAgentsAgainstOne() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            Measured one = run("oneAgent", server);
            int afterOne = server.requests().size();
            Measured two = run("twoAgents", server);
            System.out.printf(Locale.ROOT, "1 agent: %d ok, p50 %.2f ms, p99 %.2f ms, %.0f µs of agent CPU per request;"
                            + " 2 agents: %d ok, p50 %.2f ms, p99 %.2f ms, %.0f µs of agent CPU per request%n",
                    one.soak().ok(), one.ms(50), one.ms(99), one.cpuPerRequestMicros(), two.soak().ok(), two.ms(50),
                    two.ms(99), two.cpuPerRequestMicros());

            for (Measured m : new Measured[] {one, two}) {
                assertThat(m.soak().requests()).as("the one schedule, split or not").isEqualTo(EXPECTED);
                assertThat(m.soak().ok()).isEqualTo(EXPECTED);
                assertThat(m.soak().latency().count()).as("merged histogram count").isEqualTo(EXPECTED);
                assertThat(m.metrics().counter("soak.requests")).isEqualTo(EXPECTED);
            }
            assertThat(afterOne).isEqualTo(EXPECTED);
            assertThat(server.requests()).hasSize((int) (2 * EXPECTED));
            // Sub-millisecond answers on the loopback, on a 2-core machine shared with the agents: "the same" is within 2×.
            assertThat(two.ms(50)).isLessThan(Math.max(2 * one.ms(50), 1.0));
        }
    }

    @ExtendWith(LoadProfileExtensionTests.OnlyInTestKit.class)
    static class Cases {

        @LoadProfile(agents = 1, http = @Http(url = "http://" + HOST + ":8080/"),
                soak = @Soak(rps = TOTAL_RATE, duration = "5s", window = "5s"))
        void oneAgent(LoadRun run, Recorder recorder) {
            RUN.set(run);
            METRICS.set(recorder.snapshot());
        }

        @LoadProfile(agents = 2, http = @Http(url = "http://" + HOST + ":8080/"),
                soak = @Soak(rps = TOTAL_RATE, duration = "5s", window = "5s"))
        void twoAgents(LoadRun run, Recorder recorder) {
            RUN.set(run);
            METRICS.set(recorder.snapshot());
        }
    }
}
