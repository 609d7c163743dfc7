package com.example;

import static dev.dyno.assertions.PerfAssertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.metrics.Recorder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

class PriceCachePerfTest {

    private final Map<String, Integer> prices = new HashMap<>();

    @PerfTest(thresholds = "cache.lookup p99 < 5ms")
    @DisplayName("price lookups stay under five milliseconds")
    void priceLookupsStayFast(Recorder recorder) throws Exception {
        for (int i = 0; i < 1_000; i++) {
            prices.put("sku-" + i, i);
        }
        for (int i = 0; i < 5_000; i++) {
            String sku = "sku-" + (i % 1_000);
            Integer price = recorder.time("cache.lookup", () -> prices.get(sku));
            recorder.increment(price == null ? "cache.miss" : "cache.hit");
        }
        assertThat(recorder).timer("cache.lookup").hasCount(5_000);
    }

    @PerfTest(thresholds = "cache.hit count >= 900")
    @DisplayName("most lookups hit the cache")
    void mostLookupsHit(Recorder recorder) {
        for (int i = 0; i < 900; i++) {
            prices.put("sku-" + i, i);
        }
        for (int i = 0; i < 1_000; i++) {
            recorder.increment(prices.containsKey("sku-" + i) ? "cache.hit" : "cache.miss");
        }
        assertThat(recorder).ratio("cache.hit", "cache.miss").isEqualTo(0.9);
    }
}
