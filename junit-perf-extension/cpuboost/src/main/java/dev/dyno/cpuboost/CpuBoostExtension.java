package dev.dyno.cpuboost;

import dev.dyno.spi.ClosedWithTest;
import dev.dyno.metrics.DurationText;
import dev.dyno.config.DynoAssumptions;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.spi.PerfContext;
import dev.dyno.metrics.Recorder;
import dev.dyno.config.RunMode;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.Runtimes;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.support.TypeBasedParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * Runs a {@link CpuBoost} experiment before the test method: checks every attribute (nothing is
 * started on bad input), opens the runtime, runs every configuration of every workload
 * interleaved, reports, and hands the method the {@link CpuBoostRun}.
 */
class CpuBoostExtension extends TypeBasedParameterResolver<CpuBoostRun>
        implements BeforeEachCallback, BeforeTestExecutionCallback {

    private static final Namespace NAMESPACE = Namespace.create(CpuBoostExtension.class);
    private static final String PLAN = "plan";
    private static final String RESOURCES = "resources";
    private static final String RESULT = "result";
    private static final int MAX_CONCURRENT = 64;

    /** One workload of the experiment, as it will be started. */
    record Subject(String name, WorkloadSpec spec, Readiness readiness) {
    }

    /** Everything checked, ready to provision. */
    record Experiment(List<Subject> subjects, List<BoostConfiguration> configurations, double baseCpus, int rounds,
            Duration cooldown, int concurrent, String runtime, Duration timeout, double tolerance, int machineCpus,
            Optional<Duration> runAfterReady) {

        /** The allocation during a configuration's boost: base × factor, at most the machine. */
        double boostedCpus(BoostConfiguration configuration) {
            return Math.min(baseCpus * configuration.factor(), machineCpus);
        }
    }

    /** What the experiment holds while it runs: closed with the test, stopping whatever still runs. */
    static final class Resources implements ClosedWithTest {
        final WorkloadRuntime runtime;
        final ExecutorService starters;

        Resources(WorkloadRuntime runtime, int concurrent) {
            this.runtime = runtime;
            this.starters = Executors.newFixedThreadPool(concurrent, r -> {
                Thread thread = new Thread(r, "dyno-cpuboost-start");
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        public void close() {
            try {
                starters.shutdownNow();
            } finally {
                runtime.close();
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        CpuBoost annotation = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), CpuBoost.class)
                .orElseThrow(() -> new ExtensionConfigurationException("CpuBoostExtension needs @CpuBoost on "
                        + context.getRequiredTestMethod()));
        Experiment experiment = validate(annotation, Runtime.getRuntime().availableProcessors(),
                DynoConfiguration.of(context).mode());
        PerfContext.expect(context, "@CpuBoost(thresholds)", annotation.thresholds());
        context.getStore(NAMESPACE).put(PLAN, experiment);
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Experiment experiment = store.get(PLAN, Experiment.class);
        Recorder recorder = PerfContext.recorder(context);
        DynoConfiguration configuration = DynoConfiguration.of(context);
        Resources resources = store.getOrComputeIfAbsent(RESOURCES, key -> open(experiment, configuration),
                Resources.class);
        List<String> unsupported = new ArrayList<>();
        for (Subject subject : experiment.subjects()) {
            resources.runtime.unsupportedReason(subject.spec()).ifPresent(why -> unsupported.add(subject.name()
                    + ": " + why));
        }
        DynoAssumptions.assumeThat(unsupported.isEmpty(), () -> "cannot run on the " + resources.runtime.name()
                + " runtime here: " + String.join("; ", unsupported));
        Path resultsDir = configuration.resultsDirectory();
        String stem = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        CpuBoostRun result = run(experiment, resources);
        store.put(RESULT, result);
        CpuBoostReport.report(result, experiment.baseCpus(), recorder, resultsDir, stem);
    }

    @Override
    public CpuBoostRun resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        CpuBoostRun result = context.getStore(NAMESPACE).get(RESULT, CpuBoostRun.class);
        if (result == null) {
            throw new ParameterResolutionException("a CpuBoostRun parameter needs @CpuBoost on the method "
                    + context.getRequiredTestMethod().getName());
        }
        return result;
    }

    private static Resources open(Experiment experiment, DynoConfiguration configuration) {
        // The annotation's runtime, unless it is auto, wins over the configured one.
        if (experiment.runtime().equals("docker")) {
            Runtimes.assumeDocker();
        }
        WorkloadRuntime runtime = Runtimes.open(experiment.runtime().equals("auto") ? configuration
                : configuration.with(DynoConfiguration.RUNTIME_PROPERTY, experiment.runtime()));
        return new Resources(runtime, experiment.concurrent());
    }

    /**
     * Runs every round: in each, every workload in every configuration, the configurations'
     * order rotating from round to round so that neither drift nor order favours one of them.
     */
    static CpuBoostRun run(Experiment experiment, Resources resources) {
        List<BoostTrial> trials = new ArrayList<>();
        Optional<HostMonitor> monitor = HostMonitor.start(Duration.ofMillis(500));
        try {
            int total = experiment.rounds() * experiment.subjects().size() * experiment.configurations().size();
            int done = 0;
            for (int round = 0; round < experiment.rounds(); round++) {
                for (Subject subject : experiment.subjects()) {
                    List<BoostConfiguration> order = new ArrayList<>(experiment.configurations());
                    Collections.rotate(order, -(round % order.size()));
                    for (BoostConfiguration configuration : order) {
                        List<BoostTrial> group = startGroup(experiment, resources, subject, configuration, round);
                        trials.addAll(group);
                        done++;
                        progress(experiment, subject, configuration, round, group, done, total);
                        sleep(experiment.cooldown());
                    }
                }
            }
        } finally {
            monitor.ifPresent(HostMonitor::close);
        }
        return new CpuBoostRun(experiment.subjects().stream().map(Subject::name).toList(), experiment.configurations(),
                trials, monitor.map(HostMonitor::samples).orElse(List.of()), resources.runtime.name(),
                experiment.machineCpus(), experiment.concurrent());
    }

    /** One start: {@code concurrent} workloads released at the same instant, each watched on its own thread. */
    private static List<BoostTrial> startGroup(Experiment experiment, Resources resources, Subject subject,
            BoostConfiguration configuration, int round) {
        CountDownLatch gate = new CountDownLatch(1);
        List<CompletableFuture<BoostTrial>> futures = new ArrayList<>();
        for (int instance = 0; instance < experiment.concurrent(); instance++) {
            BoostedStart.Plan plan = new BoostedStart.Plan(subject.name(), experiment.concurrent() > 1
                    ? subject.spec().withName(shortName(subject.spec().name(), instance)) : subject.spec(),
                    configuration, round, instance, experiment.baseCpus(), experiment.boostedCpus(configuration),
                    subject.readiness(), experiment.timeout(), experiment.tolerance(), experiment.runAfterReady());
            futures.add(CompletableFuture.supplyAsync(() -> {
                awaitGate(gate);
                return BoostedStart.run(resources.runtime, plan);
            }, resources.starters));
        }
        gate.countDown();
        List<BoostTrial> group = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<BoostTrial> future : futures) {
            try {
                group.add(future.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof BoostedStart.StartFailedException failed) {
                    failures.add(failed.getMessage());
                    dev.dyno.spi.TransitionalReport.attachLog("stdout of the failed start of " + subject.name(), failed.partial().stdout());
                    dev.dyno.spi.TransitionalReport.attachLog("stderr of the failed start of " + subject.name(), failed.partial().stderr());
                } else {
                    failures.add(String.valueOf(cause));
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionFailedError("@CpuBoost: a start failed, so the experiment stopped (every workload it "
                    + "started has been stopped):\n" + String.join("\n", failures));
        }
        return group;
    }

    private static String shortName(String name, int instance) {
        String suffix = "-" + (instance + 1);
        return (name.length() + suffix.length() > 40 ? name.substring(0, 40 - suffix.length()) : name) + suffix;
    }

    private static void progress(Experiment experiment, Subject subject, BoostConfiguration configuration, int round,
            List<BoostTrial> group, int done, int total) {
        BoostTrial first = group.get(0);
        String totals = group.size() == 1 ? DurationText.format(first.total())
                : group.stream().map(t -> DurationText.format(t.total())).toList().toString();
        System.out.printf(Locale.ROOT, "[dyno] cpu boost %d/%d %s %-12s round %d/%d: start-up %s (wall %s) at %.2f→%.2f "
                + "CPUs, peak %.2f CPUs%n", done, total, subject.name(), configuration.id(), round + 1,
                experiment.rounds(), totals, DurationText.format(first.wallTime()), first.boostedCpus(), first.baseCpus(),
                first.peakCpu());
        for (BoostTrial t : group) {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("start-up", DurationText.format(t.total()));
            parameters.put("wall", DurationText.format(t.wallTime()));
            parameters.put("CPUs", String.format(Locale.ROOT, "%.2f → %.2f", t.boostedCpus(), t.baseCpus()));
            parameters.put("peak CPU", String.format(Locale.ROOT, "%.2f", t.peakCpu()));
            parameters.put("boost", t.restoration().explanation());
            t.timings().forEach((name, value) -> parameters.put(name, DurationText.format(value)));
            dev.dyno.spi.TransitionalReport.step(String.format(Locale.ROOT, "start %d/%d: %s %s, round %d%s", done, total, t.workload(),
                    configuration.id(), round + 1, group.size() > 1 ? ", instance " + (t.instance() + 1) : ""),
                    t.restoration().proven().orElse(true), parameters);
        }
    }

    private static void awaitGate(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before a start", e);
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the cooldown", e);
        }
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
        return new Experiment(subjects, configurations, base, mode.pick(a.repetitions(), a.fullRepetitions()), cooldown,
                a.concurrent(), runtime, timeout, a.restoreTolerance(), machineCpus, runAfterReady);
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
        return new Subject(name, withArgs.withoutCpuLimit(), readyWhen.orElse(spec.readiness()));
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
