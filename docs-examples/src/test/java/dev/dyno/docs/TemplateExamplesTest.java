package dev.dyno.docs;

import static dev.dyno.assertions.PerfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.Perf;
import dev.dyno.metrics.Recorder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The snippets of docs/growth.md about {@code @Perf}, run. */
@DisplayName("docs/growth.md")
class TemplateExamplesTest {

    // tag::parameterized[]
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1_000, 10_000, 100_000})
    @Perf(thresholds = "sort p99 < 500ms")     // checked for each size on its own
    void sortsEachSizeQuickly(int n, Recorder recorder) {   // the arguments first, then the Recorder
        recorder.attribute("n", Integer.toString(n));       // a report parameter of this invocation
        Random random = new Random(n);
        for (int round = 0; round < 10; round++) {
            int[] numbers = random.ints(n).toArray();
            recorder.time("sort", () -> Arrays.sort(numbers));
        }
        assertThat(recorder.timer("sort")).hasCount(10);     // this invocation's rounds only
    }
    // end::parameterized[]

    // tag::repeated[]
    @RepeatedTest(3)
    @Perf(thresholds = "parse p99 < 2s")
    void parsesTheSameInputThreeTimes(RepetitionInfo repetition, Recorder recorder) throws Exception {
        recorder.attribute("repetition", Integer.toString(repetition.getCurrentRepetition()));
        String input = "1,2,3,".repeat(10_000);
        long sum = recorder.time("parse", () -> Arrays.stream(input.split(",")).mapToLong(Long::parseLong).sum());
        assertThat(recorder.timer("parse")).hasCount(1);
        assertThat(sum).isEqualTo(60_000);
    }
    // end::repeated[]
}
