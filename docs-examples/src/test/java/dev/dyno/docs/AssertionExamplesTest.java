package dev.dyno.docs;

import static dev.dyno.assertions.PerfAssertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.dyno.PerfTest;
import dev.dyno.metrics.Recorder;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;

/** The snippets of docs/thresholds-and-assertions.md, run. */
@DisplayName("docs/thresholds-and-assertions.md")
class AssertionExamplesTest {

    // tag::thresholds[]
    @PerfTest(thresholds = {
            "rpc p99.9 < 250ms",                    // timer: a percentile
            "rpc count >= 1000",                    // timer: how many values
            "capacity.updates <= 25",               // counter (count is the default)
            "cache.hit_rate >= 95%",                // gauge (value is the default); 95% = 0.95
            "containers.per.worker spread < 0.6"})  // distribution: largest distance of a key from the mean
    void meetsItsThresholds(Recorder recorder) {
        callTheService(recorder);      // records rpc, capacity.updates, cache.hit_rate, containers.per.worker
    }
    // end::thresholds[]

    @PerfTest
    @DisplayName("AssertJ assertions on every kind of metric")
    void assertions(Recorder recorder) {
        callTheService(recorder);
        // tag::assertions[]
        assertThat(recorder.timer("rpc")).hasCountAtLeast(1000).percentile(99.9).isLessThan(Duration.ofMillis(250));
        assertThat(recorder.counter("capacity.updates")).isCloseTo(20, withinPercentage(10));
        assertThat(recorder.distribution("containers.per.worker")).usesAllKeys().isBalancedWithin(0.6);
        assertThat(recorder).ratio("cache.hit", "cache.miss").isGreaterThan(0.95);   // hit / (hit + miss)
        assertThat(recorder).timer("rpc").max().isLessThan(Duration.ofSeconds(2));
        // end::assertions[]
    }

    // tag::meta-annotation[]
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @PerfTest(thresholds = "rpc p99.9 < 250ms")
    @Tag("nightly")
    @interface NightlyPerf {
    }

    @NightlyPerf
    void rpcIsFastEnoughEveryNight(Recorder recorder) {
        callTheService(recorder);
    }
    // end::meta-annotation[]

    private static void callTheService(Recorder recorder) {
        for (int i = 0; i < 1_000; i++) {
            recorder.timer("rpc").record(Duration.ofMillis(1 + i % 50));
        }
        recorder.counter("capacity.updates").add(20);
        recorder.counter("cache.hit").add(99);
        recorder.counter("cache.miss").add(1);
        recorder.gauge("cache.hit_rate").set(0.99);
        var distribution = recorder.distribution("containers.per.worker");
        distribution.expectKeys(List.of("worker-1", "worker-2", "worker-3", "worker-4"));
        for (int i = 0; i < 100; i++) {
            distribution.increment("worker-" + (1 + i % 4));
        }
    }
}
