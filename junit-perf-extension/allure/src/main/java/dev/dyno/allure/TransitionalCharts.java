package dev.dyno.allure;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.knowm.xchart.BitmapEncoder;

/** TRANSITIONAL: XChart charts drawn by capabilities themselves; to be removed with the last of them. */
@Deprecated
public final class TransitionalCharts {

    private TransitionalCharts() {
    }

    public static byte[] png(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        System.setProperty("java.awt.headless", "true");
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
