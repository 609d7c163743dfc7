package dev.dyno.assertions;

import static dev.dyno.assertions.PerfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.util.List;
import org.assertj.core.description.TextDescription;
import org.assertj.core.presentation.StandardRepresentation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Perf assertions")
class PerfAssertionsTests {

    private final Recorder recorder = Recorder.create();

    @Test
    @DisplayName("assert on timer percentiles and fail with the statistic and timer named")
    void timerPercentiles() {
        for (int ms = 1; ms <= 100; ms++) {
            recorder.record("rpc", Duration.ofMillis(ms));
        }
        assertThat(recorder.timer("rpc")).hasCount(100).percentile(99).isLessThan(Duration.ofMillis(101));
        assertThatThrownBy(() -> assertThat(recorder.timer("rpc")).percentile(99).isLessThan(Duration.ofMillis(50)))
                .hasMessageContaining("p99.0 of timer 'rpc' (100 values)");
        assertThatThrownBy(() -> assertThat(recorder.timer("empty")).max().isLessThan(Duration.ofSeconds(1)))
                .hasMessage(ShouldHaveCount.shouldHaveCount("timer", "empty", 0, "at least", 1)
                        .create(new TextDescription(""), new StandardRepresentation()));
    }

    @Test
    @DisplayName("check that counters are close to an expected count, absolutely or in percent")
    void countersCloseTo() {
        recorder.counter("locks").add(22);
        assertThat(recorder.counter("locks")).isCloseTo(20, 2).isCloseTo(20, withinPercentage(10));
        assertThatThrownBy(() -> assertThat(recorder.counter("locks")).isCloseTo(20, 1))
                .hasMessage(ShouldBeCloseTo.shouldBeCloseTo("locks", 22, 20, "1")
                        .create(new TextDescription("counter 'locks'"), new StandardRepresentation()));
    }

    @Test
    @DisplayName("check that distributions are balanced and use every declared key")
    void distributions() {
        var d = recorder.distribution("per.worker");
        d.expectKeys(List.of("w1", "w2", "w3"));
        d.add("w1", 5);
        d.add("w2", 6);
        assertThatThrownBy(() -> assertThat(d).usesAllKeys())
                .hasMessage(ShouldUseAllKeys.shouldUseAllKeys("per.worker", List.of("w3"))
                        .create(new TextDescription(""), new StandardRepresentation()));
        d.add("w3", 4);
        assertThat(d).hasTotal(15).usesAllKeys().hasKeysUsed(3).isBalancedWithin(0.25);
        assertThatThrownBy(() -> assertThat(d).isBalancedWithin(0.1))
                .hasMessage(ShouldBeBalanced.shouldBeBalanced(d.snapshot(), 0.1)
                        .create(new TextDescription(""), new StandardRepresentation()));
    }

    @Test
    @DisplayName("navigate by name, listing what was recorded when a name is wrong")
    void navigation() {
        recorder.counter("cache.hit").add(99);
        recorder.counter("cache.miss").add(1);
        assertThat(recorder).ratio("cache.hit", "cache.miss").isGreaterThan(0.95);
        assertThatThrownBy(() -> assertThat(recorder).timer("cache.hits"))
                .hasMessageContaining("Expecting a timer named 'cache.hits' but the test recorded only")
                .hasMessageContaining("[\"cache.hit\", \"cache.miss\"]");
        assertThatThrownBy(() -> assertThat(recorder).ratio("cache.hit", "cache.miss").isGreaterThan(0.995))
                .hasMessageContaining("ratio cache.hit / (cache.hit + cache.miss) = 99 / 100");
    }
}
