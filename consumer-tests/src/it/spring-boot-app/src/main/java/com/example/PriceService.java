package com.example;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.springframework.stereotype.Service;

/** Quotes a price with volume discounts: the bean the perf test measures. */
@Service
public class PriceService {

    public BigDecimal quote(String sku, int quantity) {
        BigDecimal unit = BigDecimal.valueOf(Math.floorMod(sku.hashCode(), 10_000), 2);
        BigDecimal discount = quantity >= 100 ? new BigDecimal("0.90") : quantity >= 10 ? new BigDecimal("0.95") : BigDecimal.ONE;
        return unit.multiply(BigDecimal.valueOf(quantity)).multiply(discount).setScale(2, RoundingMode.HALF_UP);
    }
}
