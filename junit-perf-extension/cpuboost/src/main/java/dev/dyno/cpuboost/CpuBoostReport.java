package dev.dyno.cpuboost;

import dev.dyno.metrics.Recorder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Puts a {@link CpuBoostRun} into the test's recorder and report, by concern: metrics
 * ({@link CpuBoostMetrics}), the guide's tables and printed summary ({@link CpuBoostTables}), charts
 * as data ({@link CpuBoostCharts}), the raw data as CSV ({@link CpuBoostCsv}) and the workloads'
 * JVM recordings ({@link CpuBoostJvmReport}). A run stopped by
 * the test's timeout is reported as far as it got.
 */
final class CpuBoostReport {

    private CpuBoostReport() {
    }

    static void report(CpuBoostRun run, Recorder recorder, Path resultsDir, String stem) {
        CpuBoostMetrics.record(run, recorder);
        CpuBoostTables.record(run, recorder);
        CpuBoostCharts.all(run).forEach(recorder::chart);
        CpuBoostCsv.record(run, recorder, resultsDir, stem);
        CpuBoostJvmReport.record(run, recorder, resultsDir, stem);
        System.out.print(CpuBoostTables.consoleSummary(run));
    }

    /** The configuration the guide's per-test-case table and plots show: 2x if run, else the first boost. */
    static String focusConfiguration(CpuBoostRun run) {
        return run.boosts().stream().filter(c -> c.factor() == 2.0).findFirst().orElse(run.boosts().get(0)).id();
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
