package dev.dyno.cpuboost;

import static dev.dyno.cpuboost.CpuBoostReport.seconds;

import dev.dyno.metrics.Recorder;
import dev.dyno.spi.InterruptHeld;
import dev.dyno.view.Attachment;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A {@link CpuBoostRun}'s raw data as the guide's two CSV files: {@code raw_results.csv} (one row
 * per start) and {@code improvements.csv} (one row per workload, configuration and timing),
 * attached to the report and written under the results directory's {@code cpuboost/}.
 */
final class CpuBoostCsv {

    static final String RAW_RESULTS = "raw_results";
    static final String IMPROVEMENTS = "improvements";

    private CpuBoostCsv() {
    }

    static void record(CpuBoostRun run, Recorder recorder, Path resultsDir, String stem) {
        String raw = rawResults(run);
        String improvements = improvements(run);
        recorder.attach(Attachment.text(RAW_RESULTS + ".csv", "text/csv", ".csv", raw));
        recorder.attach(Attachment.text(IMPROVEMENTS + ".csv", "text/csv", ".csv", improvements));
        try {
            InterruptHeld.run(() -> {
                Path dir = Files.createDirectories(resultsDir.resolve("cpuboost"));
                Files.writeString(dir.resolve(stem + "-" + RAW_RESULTS + ".csv"), raw);
                Files.writeString(dir.resolve(stem + "-" + IMPROVEMENTS + ".csv"), improvements);
            });
        } catch (IOException e) {
            System.err.println("[dyno] could not write the CPU boost CSVs: " + e);
        }
    }

    static String rawResults(CpuBoostRun run) {
        Set<String> phases = new LinkedHashSet<>();
        run.trials().forEach(t -> phases.addAll(t.timings().keySet()));
        List<String> header = new ArrayList<>(List.of("test_case", "config", "run", "instance", "runtime",
                "base_cpus", "boosted_cpus", "wall_seconds", "ready_seconds", "restored_by", "restored_at_seconds",
                "restore_late_seconds", "cpu_usage_post_boost", "restoration_success", "cpu_usage_peak",
                "memory_used_bytes", "cpu_allocated", "visible_cpus", "slowdown_after_restore"));
        header.addAll(phases);
        boolean jvm = run.trials().stream().anyMatch(t -> t.jvmRecording().isPresent());
        if (jvm) {
            header.addAll(List.of("jvm_jit_seconds", "jvm_compilations", "jvm_classes_loaded",
                    "jvm_class_loading_seconds", "jvm_gc_pause_seconds"));
        }
        return csv(header, printer -> {
            for (BoostedStartResult t : run.trials()) {
                Restoration r = t.restoration();
                List<Object> row = new ArrayList<>(List.of(t.workload(), t.configuration().id(), t.round() + 1,
                        t.instance() + 1, t.runtime(), t.baseCpus(), t.boostedCpus(), seconds(t.wallTime()),
                        t.readyAfter().map(CpuBoostCsv::secondsText).orElse(""),
                        r.trigger().name().toLowerCase(Locale.ROOT),
                        r.after().map(CpuBoostCsv::secondsText).orElse(""),
                        r.lateness().map(CpuBoostCsv::secondsText).orElse(""),
                        r.cpuAfter().isPresent() ? r.cpuAfter().getAsDouble() : "",
                        r.proven().map(String::valueOf).orElse(""), t.peakCpu(), t.peakMemoryBytes(),
                        t.cpuAllocated().isPresent() ? t.cpuAllocated().getAsInt() : "", t.visibleCpus(),
                        t.slowdownAfterRestore().isPresent() ? t.slowdownAfterRestore().getAsDouble() : ""));
                for (String phase : phases) {
                    row.add(t.timings().containsKey(phase) ? secondsText(t.timings().get(phase)) : "");
                }
                if (jvm) {
                    row.addAll(t.jvm().<List<Object>>map(j -> List.of(secondsText(j.compilationTime()), j.compilations(),
                            j.classesLoaded().isPresent() ? j.classesLoaded().getAsLong() : "",
                            secondsText(j.classLoadingTime()), secondsText(j.gcPauseTime())))
                            .orElse(List.of("", "", "", "", "")));
                }
                printer.printRecord(row);
            }
        });
    }

    static String improvements(CpuBoostRun run) {
        return csv(List.of("test_case", "config", "metric", "improvement_pct", "ci_lower_pct", "ci_upper_pct",
                "baseline_time", "boosted_time", "baseline_runs", "boosted_runs"), printer -> {
                    for (String workload : run.workloads()) {
                        for (String metric : run.metrics(workload)) {
                            for (BoostConfiguration c : run.boosts()) {
                                if (!run.comparable(workload, c.id())) {
                                    continue;
                                }
                                BoostImprovement i = run.improvement(workload, c.id(), metric);
                                printer.printRecord(workload, c.id(), metric, round(i.improvement().point() * 100),
                                        round(i.improvement().lower() * 100), round(i.improvement().upper() * 100),
                                        secondsText(i.baselineMean()), secondsText(i.boostedMean()), i.baselineRuns(),
                                        i.boostedRuns());
                            }
                        }
                    }
                });
    }

    private interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }

    private static String csv(List<String> header, Rows rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get()
                .print(out)) {
            rows.print(printer);
        } catch (IOException e) {
            throw new IllegalStateException("writing CSV to memory failed", e);
        }
        return out.toString();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String secondsText(Duration duration) {
        return String.format(Locale.ROOT, "%.4f", seconds(duration));
    }
}
