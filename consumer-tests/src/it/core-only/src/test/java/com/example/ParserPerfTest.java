package com.example;

import static dev.dyno.assertions.PerfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.PerfTest;
import dev.dyno.metrics.Recorder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A perf test with nothing but dyno-core: recorder, thresholds, AssertJ assertions, results file, console. */
class ParserPerfTest {

    // p50, not p99: on a shared CI runner one batch can wait hundreds of ms for a CPU; the median cannot
    @PerfTest(thresholds = {"parse p50 < 1s", "parse.items == 20000"})
    void parsesTwentyBatches(Recorder recorder) throws Exception {
        for (int batch = 0; batch < 20; batch++) {
            String csv = csv(1_000, batch);
            List<String[]> rows = recorder.time("parse", () -> parse(csv));
            recorder.counter("parse.items").add(rows.size());
        }
        assertThat(recorder.snapshot().timer("parse").orElseThrow()).hasCount(20);
    }

    /** The promise of the small artifact: none of the heavy libraries came along. */
    @Test
    void bringsNoDockerAllureChartOrHttpLibrary() {
        for (String heavy : List.of("org.testcontainers.DockerClientFactory", "io.qameta.allure.Allure",
                "org.knowm.xchart.XYChart", "io.netty.channel.Channel", "dev.dyno.runtime.WorkloadRuntime")) {
            assertThatThrownBy(() -> Class.forName(heavy)).as(heavy).isInstanceOf(ClassNotFoundException.class);
        }
    }

    private static String csv(int rows, int seed) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            text.append(i).append(',').append("item-").append(seed * 31 + i).append(',').append(i * 0.5).append('\n');
        }
        return text.toString();
    }

    private static List<String[]> parse(String csv) {
        List<String[]> rows = new ArrayList<>();
        for (String line : csv.split("\n")) {
            rows.add(line.split(","));
        }
        return rows;
    }
}
