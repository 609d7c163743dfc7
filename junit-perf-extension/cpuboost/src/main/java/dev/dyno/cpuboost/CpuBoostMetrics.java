package dev.dyno.cpuboost;

import dev.dyno.metrics.Recorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A {@link CpuBoostRun} as metrics and attributes, named as {@link CpuBoost} documents, for thresholds. */
final class CpuBoostMetrics {

    private CpuBoostMetrics() {
    }

    static void record(CpuBoostRun run, Recorder recorder) {
        recorder.attribute("cpuboost.runtime", run.runtime());
        recorder.attribute("cpuboost.base_cpus", String.format(Locale.ROOT, "%.2f of %d", run.baseCpus(),
                run.machineCpus()));
        List<String> configurations = new ArrayList<>();
        for (BoostConfiguration c : run.configurations()) {
            double boosted = run.boostedCpus(c);
            configurations.add(c.id() + " (" + c.label() + (c.isBaseline() ? "" : String.format(Locale.ROOT,
                    ": %.2f CPUs%s", boosted, boosted < run.baseCpus() * c.factor() ? ", capped at the machine" : ""))
                    + ")");
        }
        recorder.attribute("cpuboost.configurations", String.join(", ", configurations));
        recorder.attribute("cpuboost.workloads", String.join(", ", run.workloads()));
        if (run.concurrent() > 1) {
            recorder.attribute("cpuboost.concurrent", Integer.toString(run.concurrent()));
        }
        for (BoostedStartResult t : run.trials()) {
            String p = "cpuboost." + t.workload() + "." + t.configuration().id() + ".";
            recorder.timer(p + "total").record(t.total());
            recorder.timer(p + "wall").record(t.wallTime());
            t.timings().forEach((name, value) -> {
                if (!name.equals(BoostedStartResult.TOTAL_TIME)) {
                    recorder.timer(p + name).record(value);
                }
            });
        }
        for (String workload : run.workloads()) {
            for (BoostConfiguration c : run.configurations()) {
                String p = "cpuboost." + workload + "." + c.id() + ".";
                List<BoostedStartResult> trials = run.trials(workload, c.id());
                if (trials.isEmpty()) {
                    continue; // the test's timeout came first
                }
                recorder.gauge(p + "peak_cpu").set(trials.stream().mapToDouble(BoostedStartResult::peakCpu).max()
                        .orElseThrow());
                List<BoostedStartResult> observable = trials.stream().filter(t -> t.restoration().observable()).toList();
                if (!observable.isEmpty()) {
                    recorder.gauge(p + "restored").set(observable.stream()
                            .filter(t -> t.restoration().proven().orElse(false)).count() / (double) observable.size());
                }
                if (!c.isBaseline() && run.comparable(workload, c.id())) {
                    BoostImprovement improvement = run.improvement(workload, c.id());
                    setIfFinite(recorder, p + "improvement", improvement.improvement().point());
                    setIfFinite(recorder, p + "improvement.lower", improvement.improvement().lower());
                    setIfFinite(recorder, p + "improvement.upper", improvement.improvement().upper());
                }
            }
        }
        run.hostMax(HostSample::memoryPercent).ifPresent(v -> recorder.gauge("cpuboost.host.max_memory_percent").set(v));
        run.hostMax(HostSample::swapPercent).ifPresent(v -> recorder.gauge("cpuboost.host.max_swap_percent").set(v));
        run.maxSlowdownAfterRestore().ifPresent(v -> recorder.gauge("cpuboost.max_slowdown_after_restore").set(v));
    }

    private static void setIfFinite(Recorder recorder, String gauge, double value) {
        if (Double.isFinite(value)) {
            recorder.gauge(gauge).set(value);
        }
    }
}
