package dev.dyno.cpuboost;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.JvmRecording;
import dev.dyno.spi.InterruptHeld;
import dev.dyno.view.Attachment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The workloads' JVM recordings of a {@link CpuBoost#recordJvm()} experiment: the table "JVM of
 * the workload (JFR): base vs boosted" with each configuration's means, the
 * {@code cpuboost.W.C.jvm.*} metrics, and every start's {@code .jfr}, attached and kept under the
 * results directory's {@code cpuboost/}. Nothing for an experiment that recorded no JVM.
 */
final class CpuBoostJvmReport {

    static final String TABLE = "JVM of the workload (JFR): base vs boosted";

    private CpuBoostJvmReport() {
    }

    static void record(CpuBoostRun run, Recorder recorder, Path resultsDir, String stem) {
        if (run.trials().stream().allMatch(t -> t.jvmRecording().isEmpty())) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (String workload : run.workloads()) {
            for (BoostConfiguration c : run.configurations()) {
                List<BoostedStartResult> starts = run.trials(workload, c.id());
                if (!starts.isEmpty()) {
                    rows.add(row(workload, c, starts));
                    metrics(recorder, "cpuboost." + workload + "." + c.id() + ".jvm.", starts);
                }
            }
        }
        recorder.table(TABLE, List.of("workload", "config", "recorded starts", "JIT compilation time", "compilations",
                "longest compilation", "classes loaded", "class loads recorded", "class-loading time", "GCs",
                "GC pauses", "note"), rows);
        keepFiles(run, recorder, resultsDir, stem);
    }

    /** One configuration's means; where a start has no recording, the note says why. */
    private static List<String> row(String workload, BoostConfiguration c, List<BoostedStartResult> starts) {
        List<JvmRecording.Summary> jvms = starts.stream().flatMap(t -> t.jvm().stream()).toList();
        String note = starts.stream().flatMap(t -> t.jvmRecording().stream()).filter(r -> r.summary().isEmpty())
                .map(JvmRecording::explanation).findFirst().orElse("");
        String recorded = jvms.size() + " of " + starts.size();
        if (jvms.isEmpty()) {
            return List.of(workload, c.id(), recorded, "-", "-", "-", "-", "-", "-", "-", "-", note);
        }
        return List.of(workload, c.id(), recorded,
                meanDuration(jvms, JvmRecording.Summary::compilationTime),
                count(mean(jvms, JvmRecording.Summary::compilations)),
                meanDuration(jvms, JvmRecording.Summary::longestCompilation),
                jvms.stream().allMatch(j -> j.classesLoaded().isPresent())
                        ? count(mean(jvms, j -> j.classesLoaded().getAsLong())) : "-",
                count(mean(jvms, JvmRecording.Summary::classLoads)),
                meanDuration(jvms, JvmRecording.Summary::classLoadingTime),
                String.format(Locale.ROOT, "%.1f", mean(jvms, JvmRecording.Summary::garbageCollections)),
                meanDuration(jvms, JvmRecording.Summary::gcPauseTime),
                note);
    }

    private static void metrics(Recorder recorder, String prefix, List<BoostedStartResult> starts) {
        List<JvmRecording.Summary> jvms = starts.stream().flatMap(t -> t.jvm().stream()).toList();
        for (JvmRecording.Summary jvm : jvms) {
            recorder.timer(prefix + "jit_time").record(jvm.compilationTime());
            recorder.timer(prefix + "class_loading_time").record(jvm.classLoadingTime());
            recorder.timer(prefix + "gc_pause_time").record(jvm.gcPauseTime());
        }
        if (!jvms.isEmpty()) {
            recorder.gauge(prefix + "compilations").set(mean(jvms, JvmRecording.Summary::compilations));
            if (jvms.stream().allMatch(j -> j.classesLoaded().isPresent())) {
                recorder.gauge(prefix + "classes_loaded").set(mean(jvms, j -> j.classesLoaded().getAsLong()));
            }
        }
    }

    /**
     * Every recording attached whole (a report keeps only the end of a file attachment, which a
     * {@code .jfr} cannot lose) and copied next to the CSVs, named by test, workload, configuration
     * and round.
     */
    private static void keepFiles(CpuBoostRun run, Recorder recorder, Path resultsDir, String stem) {
        try {
            InterruptHeld.run(() -> {
                Path dir = Files.createDirectories(resultsDir.resolve("cpuboost"));
                for (BoostedStartResult t : run.trials()) {
                    Path file = t.jvmRecording().flatMap(JvmRecording::file).orElse(null);
                    if (file == null) {
                        continue;
                    }
                    String name = t.workload() + "-" + t.configuration().id() + "-round" + (t.round() + 1)
                            + (run.concurrent() > 1 ? "-" + (t.instance() + 1) : "");
                    Files.copy(file, dir.resolve(stem + "-" + name + ".jfr"), StandardCopyOption.REPLACE_EXISTING);
                    recorder.attach(Attachment.of("JVM recording " + name + " (JDK Mission Control)",
                            "application/octet-stream", ".jfr", Files.readAllBytes(file)));
                }
            });
        } catch (IOException e) {
            System.err.println("[dyno] could not keep the workloads' JVM recordings: " + e);
        }
    }

    private static double mean(List<JvmRecording.Summary> jvms, ToDoubleFunction<JvmRecording.Summary> value) {
        return jvms.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    private static String meanDuration(List<JvmRecording.Summary> jvms,
            java.util.function.Function<JvmRecording.Summary, Duration> value) {
        return DurationText.format(Duration.ofNanos(Math.round(mean(jvms, j -> value.apply(j).toNanos()))));
    }

    private static String count(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
