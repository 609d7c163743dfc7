package dev.dyno.view;

import dev.dyno.metrics.Recorder;

/**
 * A deliberate violation for ArchitectureRulesCanFailTests: the report model using the recorder, which already uses
 * the report model, closes a cycle between the two packages.
 */
public final class ViewReachingIntoMetrics {

    private ViewReachingIntoMetrics() {
    }

    static void chartInto(Recorder recorder, Chart chart) {
        recorder.chart(chart);
    }
}
