package dev.dyno.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.config.DynoAssumptions;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;

/** The snippet of docs/configuration.md's section on skips, run. */
@DisplayName("docs/configuration.md")
class SkipExamplesTest {

    // tag::assume[]
    @PerfTest(thresholds = "python.start max < 5s")
    void startsPython(Recorder recorder, WorkloadRuntime runtime) {
        DynoAssumptions.assumeThat(onPath("python3"), () -> "needs python3 on the PATH");  // skipped, or failed in CI
        recorder.time("python.start", () -> {
            RunningWorkload python = runtime.start(WorkloadSpec.ofCommand("python3", "-c", "pass")
                    .withReadiness(Readiness.exit()));
            assertThat(python.awaitExit(Duration.ofSeconds(10))).isZero();
        });
    }
    // end::assume[]

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }
}
