package dev.dyno.examples.comparison;

import static dev.dyno.stats.ComparisonAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.config.RunMode;
import dev.dyno.metrics.Recorder;
import dev.dyno.stats.Comparison;
import dev.dyno.stats.ComparisonResult;
import dev.dyno.stats.Measurement;
import dev.dyno.stats.Order;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;

/**
 * Same-run A/B comparisons of two real implementations: baseline and variant run interleaved and
 * repeated in one test, and the assertions are about the confidence interval, not one number.
 */
@DisplayName("Comparisons (same-run A/B with confidence intervals)")
class ComparisonExampleTest {

    private static final int WORDS = 3_000;
    private static final int NUMBERS = 100_000;

    // tag::join[]
    @PerfTest(thresholds = "join.variant p50 < 50ms")
    @DisplayName("StringBuilder joins 3000 words at least 50 % faster than String concatenation")
    void stringBuilderBeatsConcatenation(Recorder recorder) {
        List<String> words = words(WORDS);

        ComparisonResult result = Comparison
                .timing("concat", () -> concat(words), "StringBuilder", () -> builder(words))
                .repetitions(RunMode.current().pick(10, 30))
                .warmup(2)
                .recordInto(recorder, "join")
                .run();

        System.out.println(result.summary());
        assertThat(result).isSignificant().variantIsFasterBy(50);
    }
    // end::join[]

    @PerfTest
    // tag::phases[]
    @DisplayName("sorting an int array is faster than sorting a LinkedList of the same numbers, in every phase")
    void arraySortBeatsLinkedListSort(Recorder recorder) {
        int[] numbers = new Random(42).ints(NUMBERS).toArray();

        ComparisonResult result = Comparison
                .of("LinkedList", () -> sortBoxed(numbers, new LinkedList<>()), "int[]", () -> sortPrimitive(numbers))
                .repetitions(RunMode.current().pick(8, 20))
                .order(Order.RANDOMIZED_BLOCKS).seed(7)
                .untilRelativeHalfWidth(0.10).within(Duration.ofSeconds(RunMode.current().pick(10, 60)))
                .recordInto(recorder, "sort")
                .run();

        System.out.println(result.summary());
        assertThat(result.metrics()).containsOnlyKeys("total", "copy", "sort");
        assertThat(result).variantIsFasterBy(30)
                .metric("sort").variantIsFasterBy(30);
    }
    // end::phases[]

    /** One trial of a side with phases: copy the numbers in, then sort them. */
    private static Measurement sortBoxed(int[] numbers, List<Integer> into) {
        long start = System.nanoTime();
        for (int n : numbers) {
            into.add(n);
        }
        long copied = System.nanoTime();
        into.sort(null);
        long end = System.nanoTime();
        consume(into.get(0));
        return phases(start, copied, end);
    }

    private static Measurement sortPrimitive(int[] numbers) {
        long start = System.nanoTime();
        int[] copy = Arrays.copyOf(numbers, numbers.length);
        long copied = System.nanoTime();
        Arrays.sort(copy);
        long end = System.nanoTime();
        consume(copy[0]);
        return phases(start, copied, end);
    }

    private static Measurement phases(long start, long copied, long end) {
        return Measurement.of("total", Duration.ofNanos(end - start))
                .and("copy", Duration.ofNanos(copied - start))
                .and("sort", Duration.ofNanos(end - copied));
    }

    private static List<String> words(int count) {
        Random random = new Random(1);
        List<String> words = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            words.add(Integer.toString(random.nextInt(1_000_000), 36));
        }
        return words;
    }

    @SuppressWarnings("StringConcatenationInLoop")   // the point of the baseline
    private static void concat(List<String> words) {
        String joined = "";
        for (String word : words) {
            joined = joined + word + " ";
        }
        consume(joined.length());
    }

    private static void builder(List<String> words) {
        StringBuilder joined = new StringBuilder();
        for (String word : words) {
            joined.append(word).append(' ');
        }
        consume(joined.length());
    }

    private static volatile int sink;

    private static void consume(int value) {
        sink ^= value;
    }
}
