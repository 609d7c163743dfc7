package dev.dyno.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dyno.PerfTest;
import dev.dyno.metrics.Gauge;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.CpuLimitMechanism;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

/** The snippets of docs/workloads-and-runtimes.md that are not in example-suites, run. */
@DisplayName("docs/workloads-and-runtimes.md")
class WorkloadExamplesTest {

    // tag::metrics-json[]
    @PerfTest(thresholds = "startup_time max < 1s")
    void aProgramReportsItsOwnNumbers(Recorder recorder, WorkloadRuntime runtime) {
        RunningWorkload program = runtime.start(WorkloadSpec.ofCommand("sh", "-c",
                        "echo '=== METRICS_JSON ==='; echo '{\"startup_time\": 0.25, \"rows\": 1000}'")
                .withReadiness(Readiness.exit()));
        assertThat(program.awaitExit(Duration.ofSeconds(10))).isZero();
        recorder.ingest(program.metrics().orElseThrow());     // timer startup_time, gauge rows
        assertThat(recorder.gauge("rows").value()).isEqualTo(1000);
    }
    // end::metrics-json[]

    @PerfTest
    @DisplayName("a CPU limit holds, and can be raised while the program runs")
    void cpuLimitLive(Recorder recorder, WorkloadRuntime runtime) throws Exception {
        assumeTrue(runtime.cpuLimitMechanism() == CpuLimitMechanism.CGROUP_V1
                || runtime.cpuLimitMechanism() == CpuLimitMechanism.CGROUP_V2,
                () -> "fractional CPU limits need a writable cgroup; here: " + runtime.cpuLimitMechanism());
        // tag::cpu-limit[]
        RunningWorkload busy = runtime.start(WorkloadSpec.ofCommand("sh", "-c",
                        "echo ready; while :; do :; done & while :; do :; done")   // two busy loops
                .withCpuLimit(0.5)                                   // fractional cores
                .withReadiness(Readiness.logLine("ready")));
        busy.sample();                                               // starts the measuring interval
        Thread.sleep(500);
        recorder.gauge("cores.at.0.5").set(busy.sample().cpuCores());
        busy.setCpuLimit(1.5);                                       // live, while it runs
        Thread.sleep(500);
        recorder.gauge("cores.at.1.5").set(busy.sample().cpuCores());
        // end::cpu-limit[]
        Gauge low = recorder.gauge("cores.at.0.5");
        Gauge high = recorder.gauge("cores.at.1.5");
        assertThat(low.value()).isLessThan(0.65);
        assertThat(high.value()).isGreaterThan(low.value());
    }

    @PerfTest
    @DisplayName("a service on a network of its own answers at the endpoint of its published port")
    void publishedPorts(Recorder recorder, WorkloadRuntime runtime) throws Exception {
        // tag::published-ports[]
        RunningWorkload web = runtime.start(WorkloadSpec.ofCommand("python3", "-m", "http.server", "--bind", "0.0.0.0", "8000")
                .withPublishedPorts(8000)                                  // a bridge network of the run's own
                .withReadiness(Readiness.http(URI.create("http://127.0.0.1:8000/"))));   // probed where 8000 is published
        URI page = web.endpoint(8000).uri("http", "/");                    // the engine's host and the published port
        HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(page).build(),
                HttpResponse.BodyHandlers.discarding());
        // end::published-ports[]
        assertThat(answer.statusCode()).isEqualTo(200);
    }
}
