package com.example;

import static dev.dyno.assertions.PerfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.metrics.Recorder;
import dev.dyno.stats.Comparison;
import dev.dyno.stats.ComparisonResult;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

class JoinerPerfTest {

    private static final List<String> WORDS = IntStream.range(0, 2_000).mapToObj(i -> "word" + i).toList();

    @PerfTest(thresholds = {"join.builder count >= 200", "join.builder p99 < 50ms"})
    void joinsTwoThousandWordsQuickly(Recorder recorder) throws Exception {
        for (int i = 0; i < 200; i++) {
            String joined = recorder.time("join.builder", () -> Joiner.withBuilder(WORDS));
            assertThat(joined).endsWith("word1999,");
        }

        assertThat(recorder).timer("join.builder").hasCount(200);
        assertThat(recorder.timer("join.builder")).median().isLessThan(Duration.ofMillis(20));
    }

    @PerfTest(thresholds = "join.variant count >= 15")
    void builderBeatsConcatenation(Recorder recorder) {
        ComparisonResult result = Comparison
                .timing("concatenation", () -> Joiner.withConcatenation(WORDS),
                        "StringBuilder", () -> Joiner.withBuilder(WORDS))
                .warmup(3)
                .repetitions(15)
                .recordInto(recorder, "join")
                .run();

        assertThat(result).variantIsFasterBy(50);
    }
}
