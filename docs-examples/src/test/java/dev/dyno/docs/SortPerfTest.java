package dev.dyno.docs;

// tag::quickstart[]
import static dev.dyno.assertions.PerfAssertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

class SortPerfTest {

    @PerfTest(thresholds = {"sort p99 < 1s", "sorted.numbers == 2000000"})
    void sortsTwentyBatchesQuickly(Recorder recorder) {
        Random random = new Random(42);
        for (int batch = 0; batch < 20; batch++) {
            int[] numbers = random.ints(100_000).toArray();
            recorder.time("sort", () -> Arrays.sort(numbers));   // your own code goes here
            recorder.counter("sorted.numbers").add(numbers.length);
        }
        assertThat(recorder.timer("sort")).hasCount(20).median().isLessThan(Duration.ofMillis(250));
        assertThat(recorder.counter("sorted.numbers")).isEqualTo(2_000_000);
    }
}
// end::quickstart[]
