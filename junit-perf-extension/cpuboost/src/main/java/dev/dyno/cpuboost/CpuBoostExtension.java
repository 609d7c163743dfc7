package dev.dyno.cpuboost;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.config.RunMode;
import dev.dyno.metrics.DurationText;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.Runtimes;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import dev.dyno.spi.Capability;
import dev.dyno.spi.CapabilityExtension;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Runs a {@link CpuBoost} experiment as the test method's invocation: checks every attribute
 * (nothing is started on bad input), opens the runtime, runs every configuration of every workload
 * interleaved ({@link InterleavedRounds}), reports ({@link CpuBoostReport}), and hands the method
 * the {@link CpuBoostRun}.
 */
final class CpuBoostExtension extends CapabilityExtension<CpuBoost, CpuBoostExtension.Experiment, CpuBoostRun> {

    private static final int MAX_CONCURRENT = 64;
    private static final int MAX_REPETITIONS = 1000;

    /** One workload of the experiment, as it will be started. */
    record Subject(String name, WorkloadSpec spec, Readiness readiness) {
    }

    /** Everything checked, ready to provision. */
    record Experiment(List<Subject> subjects, List<BoostConfiguration> configurations, double baseCpus, int rounds,
            int maxRounds, double precision, Duration cooldown, int concurrent, String runtime, Duration timeout, double tolerance, int machineCpus,
            Optional<Duration> runAfterReady, boolean recordJvm) {

        /** The allocation during a configuration's boost: base × factor, at most the machine. */
        double boostedCpus(BoostConfiguration configuration) {
            return Math.min(baseCpus * configuration.factor(), machineCpus);
        }
    }

    CpuBoostExtension() {
        super(CpuBoost.class, CpuBoostRun.class);
    }

    @Override
    protected Experiment validate(CpuBoost annotation, Capability capability) {
        Experiment experiment = validate(annotation, Runtime.getRuntime().availableProcessors(),
                capability.configuration().mode());
        capability.expect("thresholds", annotation.thresholds());
        if (experiment.runtime().equals("docker")) {
            Runtimes.assumeDocker();
        }
        return experiment;
    }

    @Override
    protected CpuBoostRun run(Experiment experiment, Capability capability) {
        WorkloadRuntime runtime = capability.closeWithTest(open(experiment, capability.configuration()));
        capability.recorder().attribute("cpuboost.where", runtime.where());
        List<String> unsupported = new ArrayList<>();
        for (Subject subject : experiment.subjects()) {
            runtime.unsupportedReason(subject.spec()).ifPresent(why -> unsupported.add(subject.name() + ": " + why));
        }
        if (!unsupported.isEmpty()) {
            capability.abort("cannot run on the " + runtime.name() + " runtime here: " + String.join("; ", unsupported));
        }
        ExecutorService starters = Executors.newFixedThreadPool(experiment.concurrent(), r -> {
            Thread thread = new Thread(r, "dyno-cpuboost-start");
            thread.setDaemon(true);
            return thread;
        });
        capability.closeWithTest(() -> starters.shutdownNow());
        return new InterleavedRounds(experiment, runtime, starters, capability.recorder()).run();
    }

    @Override
    protected void report(CpuBoostRun run, Capability capability) {
        CpuBoostReport.report(run, capability.recorder(), capability.resultsDirectory(), capability.testName());
    }

    /** The annotation's runtime, unless it is auto, wins over the configured one. */
    private static WorkloadRuntime open(Experiment experiment, DynoConfiguration configuration) {
        return Runtimes.open(experiment.runtime().equals("auto") ? configuration
                : configuration.with(DynoConfiguration.RUNTIME_PROPERTY, experiment.runtime()));
    }

    /** Checks every attribute and builds the experiment; nothing is started. */
    static Experiment validate(CpuBoost a, int machineCpus, RunMode mode) {
        double base = a.baseCpus();
        if (!(base >= WorkloadSpec.MIN_CPU_LIMIT) || base > machineCpus || Double.isInfinite(base)) {
            throw invalid("baseCpus", base, "a number of CPUs from " + WorkloadSpec.MIN_CPU_LIMIT + " to this machine's "
                    + machineCpus + ", such as 0.5 (below one core, so that a 2x–4x boost fits on a small machine)");
        }
        List<BoostConfiguration> ci = BoostConfiguration.parseAll("configurations", a.configurations(), a.untilReady());
        List<BoostConfiguration> configurations = a.fullConfigurations().length == 0 ? ci
                : mode.pick(ci, BoostConfiguration.parseAll("fullConfigurations", a.fullConfigurations(), a.untilReady()));
        if (a.repetitions() < 2) {
            throw invalid("repetitions", a.repetitions(), "2 or more: a confidence interval needs two starts of each "
                    + "configuration (the guide uses 3)");
        }
        if (a.fullRepetitions() < 2) {
            throw invalid("fullRepetitions", a.fullRepetitions(), "2 or more: a confidence interval needs two starts "
                    + "of each configuration");
        }
        int rounds = mode.pick(a.repetitions(), a.fullRepetitions());
        if (a.maxRepetitions() != 0 && (a.maxRepetitions() < a.repetitions() || a.maxRepetitions() > MAX_REPETITIONS)) {
            throw invalid("maxRepetitions", a.maxRepetitions(), "0 (exactly repetitions) or from repetitions ("
                    + a.repetitions() + ") to " + MAX_REPETITIONS + ": the most starts of each configuration when "
                    + "intervals stay wider than precision");
        }
        if (!(a.precision() > 0) || a.precision() > 1) {
            throw invalid("precision", a.precision(), "a fraction above 0, at most 1, such as 0.10 (rounds are added "
                    + "while an improvement's interval is wider than ±10 percentage points)");
        }
        Duration cooldown = DurationText.parse("@CpuBoost(cooldown)", a.cooldown());
        if (cooldown.isNegative()) {
            throw invalid("cooldown", a.cooldown(), "a duration of 0 or more, such as \"10s\" (the guide's)");
        }
        Duration timeout = DurationText.parsePositive("@CpuBoost(timeout)", a.timeout());
        if (a.concurrent() < 1 || a.concurrent() > MAX_CONCURRENT) {
            throw invalid("concurrent", a.concurrent(), "1 to " + MAX_CONCURRENT + " workloads started at once (the "
                    + "guide's concurrent-start check uses 5)");
        }
        String runtime = a.runtime().strip().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "docker", "process").contains(runtime)) {
            throw invalid("runtime", a.runtime(), "\"auto\", \"docker\" or \"process\"");
        }
        if (!(a.restoreTolerance() >= 0) || a.restoreTolerance() > 10) {
            throw invalid("restoreTolerance", a.restoreTolerance(), "a fraction from 0 to 10, such as 0.15 (CPU use "
                    + "after the restore up to 1.15 × baseCpus counts as restored)");
        }
        Optional<Duration> runAfterReady = a.runAfterReady().isBlank() ? Optional.empty()
                : Optional.of(DurationText.parse("@CpuBoost(runAfterReady)", a.runAfterReady()));
        Optional<Readiness> readyWhen = readiness(a.readyWhen());
        List<Subject> subjects = subjects(a, readyWhen);
        for (Subject subject : subjects) {
            if (subject.readiness() instanceof Readiness.Started && (a.untilReady() || runAfterReady.isPresent())) {
                throw invalid(a.untilReady() ? "untilReady" : "runAfterReady", a.untilReady() ? (Object) true : a.runAfterReady(),
                        "a readiness condition: give readyWhen (such as \"log:Started .* in\") or a catalog workload "
                        + "with its own readiness; " + subject.name() + " has none");
            }
        }
        return new Experiment(subjects, configurations, base, rounds, Math.max(rounds, a.maxRepetitions()), a.precision(),
                cooldown,
                a.concurrent(), runtime, timeout, a.restoreTolerance(), machineCpus, runAfterReady, a.recordJvm());
    }

    private static List<Subject> subjects(CpuBoost a, Optional<Readiness> readyWhen) {
        boolean named = a.workloads().length > 0;
        boolean inline = !a.image().isBlank() || a.command().length > 0;
        if (named == inline) {
            throw new ExtensionConfigurationException("@CpuBoost(workloads, image, command): give either workloads "
                    + "(catalog names, such as workloads = \"java-load-test\") or an image and/or command (such as "
                    + "image = \"dyno/jre17-python:local\", command = {\"python3\", \"-c\", \"...\"}), not "
                    + (named ? "both" : "neither"));
        }
        Map<String, Subject> subjects = new LinkedHashMap<>();
        if (named) {
            for (String name : a.workloads()) {
                if (subjects.containsKey(name)) {
                    throw invalid("workloads", List.of(a.workloads()), "each workload at most once; \"" + name
                            + "\" repeats");
                }
                WorkloadSpec spec = WorkloadCatalog.require("@CpuBoost(workloads)", name);
                subjects.put(name, subject(name, spec, a, readyWhen));
            }
        } else {
            WorkloadSpec spec;
            try {
                spec = a.command().length == 0 ? WorkloadSpec.ofImage(a.image()) : WorkloadSpec.ofCommand(a.command());
                if (a.command().length > 0 && !a.image().isBlank()) {
                    spec = spec.withImage(a.image());
                }
            } catch (RuntimeException e) {
                throw new ExtensionConfigurationException("@CpuBoost(image, command): " + e.getMessage(), e);
            }
            subjects.put(spec.name(), subject(spec.name(), spec, a, readyWhen));
        }
        return List.copyOf(subjects.values());
    }

    private static Subject subject(String name, WorkloadSpec spec, CpuBoost a, Optional<Readiness> readyWhen) {
        WorkloadSpec withArgs = a.args().length == 0 ? spec : spec.withArgs(a.args());
        WorkloadSpec recorded = a.recordJvm() ? withArgs.withJvmRecording() : withArgs;
        return new Subject(name, recorded.withoutCpuLimit(), readyWhen.orElse(spec.readiness()));
    }

    /** Reads {@link CpuBoost#readyWhen()}. */
    static Optional<Readiness> readiness(String value) {
        String text = value.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.equals("metrics-json")) {
            return Optional.of(Readiness.metricsJson());
        }
        if (text.equals("exit")) {
            return Optional.of(Readiness.exit());
        }
        if (text.startsWith("log:")) {
            try {
                return Optional.of(Readiness.logLine(Pattern.compile(text.substring(4))));
            } catch (PatternSyntaxException e) {
                throw invalid("readyWhen", value, "\"log:\" and a Java regular expression (" + e.getDescription() + ")");
            }
        }
        if (text.startsWith("http:")) {
            String uri = text.substring(5);
            try {
                return Optional.of(Readiness.http(URI.create(uri)));
            } catch (RuntimeException e) {
                throw invalid("readyWhen", value, "\"http:\" and a loopback URL such as \"http:http://127.0.0.1:8080/health\""
                        + " (" + e.getMessage() + ")");
            }
        }
        throw invalid("readyWhen", value, "\"log:<regex>\", \"http:<url>\", \"metrics-json\", \"exit\", or empty for "
                + "the workload's own readiness");
    }

    static ExtensionConfigurationException invalid(String attribute, Object value, String allowed) {
        String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return new ExtensionConfigurationException("@CpuBoost(" + attribute + ") value " + shown + " is not allowed: "
                + "expected " + allowed);
    }
}
