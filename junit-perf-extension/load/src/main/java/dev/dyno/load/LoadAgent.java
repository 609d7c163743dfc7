package dev.dyno.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.load.LoadPlan.RampPlan;
import dev.dyno.load.LoadPlan.SoakPlan;
import dev.dyno.load.LoadPlan.SpikePlan;
import dev.dyno.load.LoadPlan.Stage;
import dev.dyno.metrics.DistributionSnapshot;
import dev.dyno.metrics.MetricsJson;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.TimerSnapshot;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * One agent of a {@code @LoadProfile(agents = N)} run: a JVM of its own, started as a workload by
 * the test ({@link LoadAgents}). It reads the test method's annotation from the class path, so that
 * it sends exactly the requests the test declares (mix, feed, checks, TLS), and sends every N-th
 * request of every phase's schedule from a start time common to all agents.
 *
 * <p>It writes to standard output an HdrHistogram interval log (HdrHistogram's own format): one
 * interval per tick tagged {@value LoadAgents#TICK_TAG} (the latency of the tick's successful
 * answers, for the charts over time), then each timer of its recorder in full, tagged with the
 * timer's name ({@code spike.latency}, {@code spike.service_time}, {@code generator.lag} …), all
 * from each request's intended start, free of coordinated omission. A {@value MetricsJson#MARKER}
 * block follows with its counters, failure counts, per-phase pace, per-tick counts, its CPU time
 * and when it really started. Anything else it prints goes to standard error.
 *
 * <pre>
 * java -cp … dev.dyno.load.LoadAgent --test-class com.example.CheckoutLoadTest --test-method spike \
 *     --scale 0.1 --agent 0 --agents 2 --coordinator 127.0.0.1:41234 --url http://127.0.0.1:8080/
 * </pre>
 */
public final class LoadAgent {

    private LoadAgent() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        PrintStream log = System.out;
        System.setOut(System.err);
        System.exit(run(options, log));
    }

    static int run(Map<String, String> options, PrintStream out) throws Exception {
        Class<?> testClass = Class.forName(required(options, "test-class"));
        String methodName = required(options, "test-method");
        Method method = AnnotationSupport.findAnnotatedMethods(testClass, LoadProfile.class, HierarchyTraversalMode.TOP_DOWN)
                .stream().filter(m -> m.getName().equals(methodName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no @LoadProfile method " + methodName + " in " + testClass));
        LoadProfile annotation = AnnotationSupport.findAnnotation(method, LoadProfile.class).orElseThrow();
        LoadPlan plan = LoadPlan.of(annotation, Double.parseDouble(required(options, "scale")), testClass);
        int agents = Integer.parseInt(required(options, "agents"));
        int agent = Integer.parseInt(required(options, "agent"));
        String coordinator = required(options, "coordinator");
        URI url = URI.create(required(options, "url"));

        DynoConfiguration configuration = configuration();
        HttpTls tls = "https".equals(url.getScheme()) ? HttpTls.of(configuration, plan.http().insecure()) : null;
        Recorder recorder = Recorder.create();
        LoadGenerator.Settings settings = LoadGenerator.Settings.DEFAULT
                .withMaxInFlight(Math.max(1, (plan.maxInFlight() + agents - 1) / agents))
                .withLateAfter(plan.lateAfter()).withDrainTimeout(plan.drain()).withTick(LoadProfileExtension.tick(plan));
        HistogramLogWriter log = new HistogramLogWriter(out);
        List<long[]> ticks = new ArrayList<>();
        long startLagMillis;
        long cpuAtStartMillis;
        Map<String, Long> phaseStarts = new LinkedHashMap<>();
        List<PhaseStats> phases = new ArrayList<>();
        GeneratorHealth health;
        try (HttpTarget target = new HttpTarget(url, plan.http(), LoadProfileExtension.resolveRules(plan, configuration),
                tls, HttpTarget.ioThreads(configuration));
             LoadGenerator generator = new LoadGenerator(target, recorder, settings)) {
            // Ready: the coordinator answers with the common start once every agent is.
            long startAt = AgentRendezvous.awaitStart(coordinator);
            log.outputLogFormatVersion();
            log.outputStartTime(startAt);
            log.setBaseTime(startAt);
            log.outputLegend();
            generator.addTickListener((nanoTime, phase, latency, ok, failed) -> {
                long end = System.currentTimeMillis();
                if (end <= startAt) {
                    return; // waiting for the common start: nothing to say
                }
                long requests = generator.phases().stream().mapToLong(PhaseRun::requestCount).sum();
                synchronized (log) {
                    latency.setStartTimeStamp(end - settings.tick().toMillis());
                    latency.setEndTimeStamp(end);
                    latency.setTag(LoadAgents.TICK_TAG);
                    log.outputIntervalHistogram(latency);
                    ticks.add(new long[] {end - startAt, requests, ok, failed});
                }
            });
            long wait = startAt - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            startLagMillis = System.currentTimeMillis() - startAt;
            cpuAtStartMillis = cpuMillis();
            List<PhaseRun> runs = send(plan, agent, agents, generator);
            generator.drain(plan.drain());
            generator.close(); // its last, partial tick goes to the log too
            long nowMillis = System.currentTimeMillis();
            long nowNanos = System.nanoTime();
            for (PhaseRun run : runs) {
                phases.add(run.stats());
                // when it started by the wall clock, which all agents and the test share
                phaseStarts.put(run.name(), nowMillis - (nowNanos - run.startNanos()) / 1_000_000);
            }
            health = generator.health();
        }
        MetricsSnapshot snapshot = recorder.snapshot();
        synchronized (log) {
            for (TimerSnapshot timer : snapshot.timers().values()) {
                Histogram histogram = timer.histogram();
                histogram.setStartTimeStamp((long) (log.getBaseTime()));
                histogram.setEndTimeStamp(System.currentTimeMillis());
                histogram.setTag(timer.name());
                log.outputIntervalHistogram(histogram);
            }
        }
        out.println(MetricsJson.MARKER);
        out.println(new ObjectMapper().writeValueAsString(summary(snapshot, phases, phaseStarts, health, ticks,
                startLagMillis, cpuAtStartMillis)));
        out.flush();
        return 0;
    }

    /** This JVM's CPU time so far, all threads; -1 where the system does not say. */
    private static long cpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }

    /** The test's configuration, which the coordinator passes in the environment, else this JVM's own. */
    @SuppressWarnings("unchecked")
    private static DynoConfiguration configuration() throws java.io.IOException {
        String json = System.getenv(LoadAgents.CONFIGURATION_ENV);
        return json == null ? DynoConfiguration.current() : DynoConfiguration.of(new ObjectMapper().readValue(json, Map.class));
    }

    /**
     * This agent's share of the plan's schedule, phase after phase, as {@link LoadExperiment} runs
     * it: of every phase's requests, numbers {@code agent}, {@code agent + agents} … at their
     * intended times ({@link ArrivalRatePacer#share}).
     */
    private static List<PhaseRun> send(LoadPlan plan, int agent, int agents, LoadGenerator generator) {
        List<PhaseRun> runs = new ArrayList<>();
        if (plan.profile() instanceof SpikePlan spike) {
            String[] names = {"baseline", "spike", "recovery"};
            double[] rates = {spike.baselineRps(), spike.spikeRps(), spike.baselineRps()};
            for (int i = 0; i < 3 && !generator.stopped(); i++) {
                runs.add(generator.open(names[i], ArrivalRatePacer.constant(rates[i], spike.phase()).share(agent, agents)));
            }
        } else if (plan.profile() instanceof SoakPlan soak) {
            runs.add(generator.open("soak", ArrivalRatePacer.constant(soak.rps(), soak.duration()).share(agent, agents)));
        } else if (plan.profile() instanceof RampPlan ramp) {
            for (Stage stage : ramp.stages()) {
                PhaseRun run = generator.open(stage.name(), ArrivalRatePacer.ramp(stage.fromRps(), stage.toRps(),
                        stage.duration()).share(agent, agents));
                run.drain(plan.drain());
                runs.add(run);
            }
        } else {
            throw new IllegalArgumentException("agents run spike, soak and ramp profiles, not " + plan.profile().kind());
        }
        return runs;
    }

    private static Map<String, Object> summary(MetricsSnapshot snapshot, List<PhaseStats> phases,
            Map<String, Long> phaseStarts, GeneratorHealth health, List<long[]> ticks, long startLagMillis,
            long cpuAtStartMillis) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("start_lag_ms", startLagMillis);
        summary.put("counters", snapshot.counters());
        Map<String, Map<String, Long>> distributions = new LinkedHashMap<>();
        for (DistributionSnapshot d : snapshot.distributions().values()) {
            distributions.put(d.name(), d.counts());
        }
        summary.put("distributions", distributions);
        List<Map<String, Object>> phaseList = new ArrayList<>();
        for (PhaseStats p : phases) {
            Map<String, Object> phase = new LinkedHashMap<>();
            phase.put("name", p.name());
            phase.put("target_rps", p.targetRps());
            phase.put("achieved_rps", p.pace().achievedRps());
            phase.put("answered", p.pace().answered());
            phase.put("duration_ms", p.duration().toMillis());
            phase.put("start_epoch_ms", phaseStarts.get(p.name()));
            phaseList.add(phase);
        }
        summary.put("phases", phaseList);
        // the JVM's CPU up to the common start (start-up, class loading, the target built) and in all
        summary.put("cpu_at_start_ms", cpuAtStartMillis);
        summary.put("cpu_ms", cpuMillis());
        summary.put("sent", health.sent());
        summary.put("late", health.late());
        summary.put("ticks", ticks);
        return summary;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
