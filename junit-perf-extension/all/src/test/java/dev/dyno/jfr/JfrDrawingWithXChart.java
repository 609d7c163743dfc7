package dev.dyno.jfr;

import io.qameta.allure.Allure;
import org.knowm.xchart.XYChart;

/**
 * A deliberate violation for ArchitectureRulesCanFailTests: a capability drawing its own chart and attaching it with
 * Allure, instead of recording a {@code dev.dyno.view.Chart}.
 */
public final class JfrDrawingWithXChart {

    private JfrDrawingWithXChart() {
    }

    static void attach(XYChart chart) {
        Allure.addAttachment(chart.getTitle(), "no image");
    }
}
