package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.runtime.JvmRecording;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Everything a {@link CpuBoost} experiment measured: every start ({@link #trials()}), the
 * machine's readings ({@link #hostSamples()}), and each configuration's improvement over the
 * baseline with a 95 % confidence interval.
 *
 * <pre>{@code
 * BoostImprovement twoX = run.improvement("java-load-test", "boost-2x");          // total start-up time
 * BoostImprovement classes = run.improvement("java-load-test", "boost-2x", "class_loading_time");
 * run.byConfiguration();            // the guide's "average improvement by configuration" table
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CpuBoostRun {

    /** The confidence of every interval. */
    public static final double CONFIDENCE = 0.95;

    /** One row of the guide's "average improvement by configuration" table, over the workloads. */
    public record ConfigurationSummary(String configuration, double mean, double std, double min, double max,
            int workloads) {
    }

    private final List<String> workloads;
    private final List<BoostConfiguration> configurations;
    private final List<BoostedStartResult> trials;
    private final List<HostSample> hostSamples;
    private final String runtime;
    private final double baseCpus;
    private final int machineCpus;
    private final int concurrent;

    CpuBoostRun(List<String> workloads, List<BoostConfiguration> configurations, List<BoostedStartResult> trials,
            List<HostSample> hostSamples, String runtime, double baseCpus, int machineCpus, int concurrent) {
        this.workloads = List.copyOf(workloads);
        this.configurations = List.copyOf(configurations);
        this.trials = List.copyOf(trials);
        this.hostSamples = List.copyOf(hostSamples);
        this.runtime = runtime;
        this.baseCpus = baseCpus;
        this.machineCpus = machineCpus;
        this.concurrent = concurrent;
    }

    /** The workloads, in the order given. */
    public List<String> workloads() {
        return workloads;
    }

    /** The configurations, the baseline among them. */
    public List<BoostConfiguration> configurations() {
        return configurations;
    }

    /** The boosted configurations. */
    public List<BoostConfiguration> boosts() {
        return configurations.stream().filter(c -> !c.isBaseline()).toList();
    }

    /** A configuration by id ({@code baseline}, {@code boost-2x}). */
    public BoostConfiguration configuration(String id) {
        return configurations.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("configuration \"" + id + "\" was not run; allowed: " + ids()));
    }

    /** Every start, in the order they ran. */
    public List<BoostedStartResult> trials() {
        return trials;
    }

    /** The starts of one workload in one configuration. */
    public List<BoostedStartResult> trials(String workload, String configuration) {
        requireWorkload(workload);
        configuration(configuration);
        return trials.stream().filter(t -> t.workload().equals(workload)
                && t.configuration().id().equals(configuration)).toList();
    }

    /** The machine's CPU, memory and swap over the experiment. */
    public List<HostSample> hostSamples() {
        return hostSamples;
    }

    /** {@code docker} or {@code process}. */
    public String runtime() {
        return runtime;
    }

    /** The CPUs a workload has outside its boost ({@link CpuBoost#baseCpus()}). */
    public double baseCpus() {
        return baseCpus;
    }

    /** The CPUs a workload has during a configuration's boost: base × factor, at most the machine's. */
    public double boostedCpus(BoostConfiguration configuration) {
        return configuration.isBaseline() ? baseCpus : Math.min(baseCpus * configuration.factor(), machineCpus);
    }

    /** The CPUs of this machine, which caps every boost. */
    public int machineCpus() {
        return machineCpus;
    }

    /** Workloads started at once in each start. */
    public int concurrent() {
        return concurrent;
    }

    /** The improvement of the start-up time ({@link BoostedStartResult#total()}) of a workload in a configuration. */
    public BoostImprovement improvement(String workload, String configuration) {
        return improvement(workload, configuration, "total");
    }

    /**
     * The improvement of one timing: {@code total}, {@code wall}, or a phase such as
     * {@code import_time} (see {@link #metrics(String)}).
     */
    public BoostImprovement improvement(String workload, String configuration, String metric) {
        BoostConfiguration boost = configuration(configuration);
        if (boost.isBaseline()) {
            throw new IllegalArgumentException("configuration \"baseline\" has no improvement over itself; allowed: "
                    + boosts().stream().map(BoostConfiguration::id).toList());
        }
        if (!metrics(workload).contains(metric)) {
            throw new IllegalArgumentException("metric \"" + metric + "\" is not a timing every start of " + workload
                    + " reported; allowed: " + metrics(workload));
        }
        double[] base = seconds(trials(workload, BoostConfiguration.BASELINE), metric);
        double[] boosted = seconds(trials(workload, configuration), metric);
        return new BoostImprovement(workload, configuration, metric, mean(base), mean(boosted), base.length,
                boosted.length, ImprovementMath.improvement(base, boosted, CONFIDENCE));
    }

    /** The timings compared for a workload: {@code total}, {@code wall}, then the phases every start reported. */
    public List<String> metrics(String workload) {
        requireWorkload(workload);
        List<BoostedStartResult> mine = trials.stream().filter(t -> t.workload().equals(workload)).toList();
        Set<String> names = new LinkedHashSet<>(List.of("total", BoostedStartResult.WALL));
        if (!mine.isEmpty()) {
            Set<String> common = new LinkedHashSet<>(mine.get(0).timings().keySet());
            mine.forEach(t -> common.retainAll(t.timings().keySet()));
            common.remove(BoostedStartResult.TOTAL_TIME); // that is "total"
            names.addAll(common);
        }
        return List.copyOf(names);
    }

    /** Every boosted configuration's improvement of every workload's start-up time. */
    public List<BoostImprovement> improvements() {
        List<BoostImprovement> all = new ArrayList<>();
        for (String workload : workloads) {
            for (BoostConfiguration boost : boosts()) {
                all.add(improvement(workload, boost.id()));
            }
        }
        return all;
    }

    /**
     * The guide's "average improvement by configuration": the mean, spread and range over the
     * workloads that have an improvement (two starts each side; an experiment stopped by its
     * timeout may have fewer).
     */
    public List<ConfigurationSummary> byConfiguration() {
        List<ConfigurationSummary> rows = new ArrayList<>();
        for (BoostConfiguration boost : boosts()) {
            double[] points = workloads.stream().filter(w -> comparable(w, boost.id()))
                    .mapToDouble(w -> improvement(w, boost.id()).improvement().point()).toArray();
            if (points.length == 0) {
                continue;
            }
            double mean = ImprovementMath.mean(points);
            double std = points.length > 1 ? Math.sqrt(ImprovementMath.variance(points, mean)) : 0;
            double min = java.util.Arrays.stream(points).min().orElse(Double.NaN);
            double max = java.util.Arrays.stream(points).max().orElse(Double.NaN);
            rows.add(new ConfigurationSummary(boost.id(), mean, std, min, max, points.length));
        }
        return rows;
    }

    /**
     * Whether a workload has an improvement in a configuration: two starts of it and two of the
     * baseline, which every finished experiment has; one stopped by its timeout may not.
     */
    boolean comparable(String workload, String configuration) {
        return trials(workload, BoostConfiguration.BASELINE).size() >= 2 && trials(workload, configuration).size() >= 2;
    }

    /** The boosted starts whose workload ran on after the boost ended, so that restoration could be observed. */
    public List<BoostedStartResult> restoredStarts() {
        return trials.stream().filter(t -> t.restoration().observable()).toList();
    }

    /**
     * For concurrent starts: the largest spread between the first and the last of a round's
     * workloads to finish, over the rounds of a configuration.
     */
    public Duration completionSpread(String workload, String configuration) {
        Map<Integer, List<BoostedStartResult>> byRound = new LinkedHashMap<>();
        trials(workload, configuration).forEach(t -> byRound.computeIfAbsent(t.round(), r -> new ArrayList<>()).add(t));
        Duration spread = Duration.ZERO;
        for (List<BoostedStartResult> round : byRound.values()) {
            Duration min = round.stream().map(BoostedStartResult::wallTime).min(Comparator.naturalOrder()).orElseThrow();
            Duration max = round.stream().map(BoostedStartResult::wallTime).max(Comparator.naturalOrder()).orElseThrow();
            spread = max.minus(min).compareTo(spread) > 0 ? max.minus(min) : spread;
        }
        return spread;
    }

    /**
     * For concurrent starts: the slowest start over the fastest in the same round, the worst
     * round's; 1.0 is perfectly even. A starved workload shows as a large ratio.
     */
    public double slowestToFastest(String workload, String configuration) {
        Map<Integer, List<BoostedStartResult>> byRound = new LinkedHashMap<>();
        trials(workload, configuration).forEach(t -> byRound.computeIfAbsent(t.round(), r -> new ArrayList<>()).add(t));
        double worst = 1;
        for (List<BoostedStartResult> round : byRound.values()) {
            double min = round.stream().mapToDouble(t -> t.wallTime().toNanos()).min().orElseThrow();
            double max = round.stream().mapToDouble(t -> t.wallTime().toNanos()).max().orElseThrow();
            worst = Math.max(worst, max / min);
        }
        return worst;
    }

    /** The highest slowdown after restoration any start reported, if any reported one. */
    public OptionalDouble maxSlowdownAfterRestore() {
        return trials.stream().map(BoostedStartResult::slowdownAfterRestore).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).max();
    }

    /**
     * The median of the slowdowns after restoration the starts reported, if any reported one: the
     * typical start's, which one start slowed by a neighbour (a shared host's steal) cannot decide.
     */
    public OptionalDouble medianSlowdownAfterRestore() {
        double[] slowdowns = trials.stream().map(BoostedStartResult::slowdownAfterRestore)
                .filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble).sorted().toArray();
        int n = slowdowns.length;
        return n == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(n % 2 == 1 ? slowdowns[n / 2] : (slowdowns[n / 2 - 1] + slowdowns[n / 2]) / 2);
    }

    /** The guide's memory-pressure warnings: samples with memory above 90 % or swap above 10 %. */
    public List<String> memoryWarnings() {
        List<String> warnings = new ArrayList<>();
        long highSwap = hostSamples.stream().filter(s -> s.swapPercent() > HostSample.HIGH_SWAP_PERCENT).count();
        long highMemory = hostSamples.stream().filter(s -> s.memoryPercent() > HostSample.HIGH_MEMORY_PERCENT).count();
        if (highSwap > 0) {
            warnings.add("WARNING: High swap usage detected in " + highSwap + " samples");
        }
        if (highMemory > 0) {
            warnings.add("WARNING: High memory usage detected in " + highMemory + " samples");
        }
        return warnings;
    }

    /** The highest of a host reading over the experiment, such as {@code HostSample::memoryPercent}. */
    public Optional<Double> hostMax(java.util.function.ToDoubleFunction<HostSample> reading) {
        return hostSamples.stream().map(s -> reading.applyAsDouble(s)).max(Double::compare);
    }

    /**
     * What the JVM recordings of one workload's starts in one configuration show, in the order run:
     * one per start whose JVM wrote a recording ({@link CpuBoost#recordJvm()}).
     *
     * <pre>{@code
     * double base = run.jvm("java-load-test", "baseline").stream()
     *         .mapToLong(jvm -> jvm.compilationTime().toMillis()).average().orElseThrow();
     * }</pre>
     *
     * @throws IllegalStateException if the experiment did not record JVMs, or no start of these wrote a
     *                               recording (the message says why, such as a workload that is no JVM)
     * @since 0.2
     */
    public List<JvmRecording.Summary> jvm(String workload, String configuration) {
        List<BoostedStartResult> starts = trials(workload, configuration);
        if (trials.stream().allMatch(t -> t.jvmRecording().isEmpty())) {
            throw new IllegalStateException("no start recorded its JVM: give @CpuBoost(recordJvm = true)");
        }
        List<JvmRecording.Summary> summaries = starts.stream().flatMap(t -> t.jvm().stream()).toList();
        if (summaries.isEmpty()) {
            throw new IllegalStateException("@CpuBoost(recordJvm = true), but no start of " + workload + " in "
                    + configuration + " has a JVM recording: " + starts.stream().flatMap(t -> t.jvmRecording().stream())
                    .map(JvmRecording::explanation).findFirst().orElse("it was not started"));
        }
        return summaries;
    }

    private List<String> ids() {
        return configurations.stream().map(BoostConfiguration::id).toList();
    }

    private void requireWorkload(String workload) {
        if (!workloads.contains(workload)) {
            throw new IllegalArgumentException("workload \"" + workload + "\" was not run; allowed: " + workloads);
        }
    }

    private static double[] seconds(List<BoostedStartResult> trials, String metric) {
        return trials.stream().mapToDouble(t -> t.timing(metric).orElseThrow().toNanos() / 1e9).toArray();
    }

    private static Duration mean(double[] seconds) {
        return Duration.ofNanos(Math.round(ImprovementMath.mean(seconds) * 1e9));
    }
}
