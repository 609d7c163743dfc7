package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.metrics.MetricsJson;
import dev.dyno.runtime.ProcessRuntime;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load agents as JVMs of their own, and their interval logs merged: 1 agent against 2 at the same total rate. */
@DisplayName("Distributed load: agents and their merged interval logs")
class DistributedLoadTests {

    static final double TOTAL_RATE = 400;
    static final Duration DURATION = Duration.ofSeconds(5);

    @Test
    @DisplayName("at the same total rate, 2 agents and 1 agent give the same percentiles, and the merged count is the sum of the agents'")
    void twoAgentsAgainstOne(@TempDir Path dir) throws Exception {
        try (StallingServer server = new StallingServer(); WorkloadRuntime runtime = ProcessRuntime.open()) {
            Result one = run(runtime, server, dir.resolve("one"), 1);
            Result two = run(runtime, server, dir.resolve("two"), 2);
            System.out.printf(Locale.ROOT, "1 agent: %d ok, p50 %.2f ms, p99 %.2f ms; 2 agents: %d ok (%s), p50 %.2f ms,"
                            + " p99 %.2f ms%n", one.merged.getTotalCount(), ms(one.merged, 50), ms(one.merged, 99),
                    two.merged.getTotalCount(), two.okByAgent, ms(two.merged, 50), ms(two.merged, 99));

            long expected = Math.round(TOTAL_RATE * DURATION.toSeconds());
            for (Result r : List.of(one, two)) {
                assertThat(r.merged.getTotalCount()).as("merged count = the sum of the agents' ok counts")
                        .isEqualTo(r.okByAgent.stream().mapToLong(Long::longValue).sum());
                assertThat(r.merged.getTotalCount()).as("every intended request answered").isBetween(expected * 95 / 100, expected);
            }
            // on a 2-core machine with a server in this JVM, latencies are sub-millisecond to a few ms: "the same" is within 2x
            assertThat(ms(two.merged, 50)).isLessThan(Math.max(2 * ms(one.merged, 50), 1.0));
        }
    }

    private record Result(Histogram merged, List<Long> okByAgent) {
    }

    private static Result run(WorkloadRuntime runtime, StallingServer server, Path dir, int agents) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        long startAt = System.currentTimeMillis() + 1500; // after every agent's JVM is up
        List<RunningWorkload> running = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 1; i <= agents; i++) {
            Path log = dir.resolve("agent-" + i + ".hlog");
            logs.add(log);
            running.add(runtime.start(WorkloadSpec.ofJavaMain(LoadAgent.class, "--url", server.uri().toString(),
                    "--rate", String.valueOf(TOTAL_RATE / agents), "--duration", DURATION.toString(),
                    "--start-at", String.valueOf(startAt), "--log", log.toString()).withName("agent-" + i)));
        }
        List<Long> ok = new ArrayList<>();
        for (RunningWorkload agent : running) {
            assertThat(agent.awaitExit(Duration.ofSeconds(60))).as(agent.stderr()).isZero();
            MetricsJson metrics = MetricsJson.require(agent.stdout());
            ok.add(metrics.number("ok").orElseThrow().longValue());
        }
        return new Result(AgentLogs.mergedLatency(logs), ok);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }
}
