package com.example;

import static dev.dyno.assertions.PerfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.PerfTest;
import dev.dyno.metrics.Recorder;
import java.math.BigDecimal;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class PriceServicePerfTest {

    @Autowired
    PriceService prices;

    @PerfTest(thresholds = {"price.quote count >= 10000", "price.quote p99 < 10ms"})
    void quotesTenThousandPricesQuickly(Recorder recorder) throws Exception {
        for (int i = 0; i < 10_000; i++) {
            String sku = "sku-" + (i % 500);
            int quantity = 1 + i % 150;
            BigDecimal price = recorder.time("price.quote", () -> prices.quote(sku, quantity));
            assertThat(price).isNotNegative();
        }
        assertThat(recorder).timer("price.quote").hasCount(10_000);
    }
}
