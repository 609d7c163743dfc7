package dev.dyno.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.load.LoadPlan.MethodTarget;
import dev.dyno.load.LoadPlan.Profile;
import dev.dyno.load.LoadPlan.RampPlan;
import dev.dyno.load.LoadPlan.SoakPlan;
import dev.dyno.load.LoadPlan.SpikePlan;
import dev.dyno.load.LoadPlan.TargetChoice;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.MetricsJson;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.ProcessRuntime;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.opentest4j.AssertionFailedError;

/**
 * Runs a {@code @LoadProfile(agents = N)}: starts N {@link LoadAgent} JVMs as workloads, each
 * sending every N-th request of every phase's schedule from one start time ({@link LoadAgent}), waits for
 * them, and merges what they wrote into the test's recorder and a {@link LoadRun}, as if one
 * generator had sent everything.
 *
 * <p>Merging is exact where it can be: histograms add (latency, service time, queue wait and
 * scheduling lag of every request), counts add, rates add. Per-tick charts come from the agents'
 * tick intervals, bucketed by their wall-clock time. An agent that exits with an error fails the
 * run at once, with its output; one that started after the common start, or sent more than
 * {@value #FELL_BEHIND_PERCENT} % of its requests late (and at least {@value #FELL_BEHIND_MIN_LATE}),
 * fails it at the end: its latencies would be its own, not the target's.
 */
final class LoadAgents {

    /** The most agents one test may start. */
    static final int MAX_AGENTS = 64;
    /** The tag of an agent's per-tick latency intervals. */
    static final String TICK_TAG = "tick";
    /** How long agents may take to be ready, from the first start: JVMs, or containers with a class path copied in. */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    /** The environment variable through which an agent gets the test's Dyno configuration. */
    static final String CONFIGURATION_ENV = "DYNO_AGENT_CONFIGURATION";

    private final LoadPlan plan;
    /** What the service used while the agents ran, for soak windows; null without a service of Dyno's. */
    private final ResourceTracker service;
    private final Recorder recorder;
    private final Consumer<String> console;

    private LoadAgents(LoadPlan plan, ResourceTracker service, Recorder recorder, Consumer<String> console) {
        this.plan = plan;
        this.service = service;
        this.recorder = recorder;
        this.console = console;
    }

    /** {@code agents} if the profile and target can be sent by agents; otherwise the error naming the attribute. */
    static int checkAgents(int agents, Profile profile, TargetChoice target) {
        if (agents < 0 || agents > MAX_AGENTS) {
            throw LoadPlan.bad("agents", agents, "0 (the load is sent from this JVM) or a number of agents from 1 to "
                    + MAX_AGENTS);
        }
        if (agents == 0) {
            return 0;
        }
        if (!(profile instanceof SpikePlan || profile instanceof SoakPlan || profile instanceof RampPlan)) {
            throw LoadPlan.bad("agents", agents, "0 with a " + profile.kind() + " profile: agents send open-model"
                    + " profiles of fixed schedule (spike, soak, ramp); "
                    + (profile instanceof LoadPlan.StressPlan ? "a stress search decides each step from the last"
                            : "a closed-model load sends each request when the last answered") + ", in one JVM");
        }
        if (target instanceof MethodTarget) {
            throw LoadPlan.bad("agents", agents, "0 with target = \"...\": a LoadTarget is Java code in this JVM,"
                    + " which agents in JVMs of their own cannot call; give a service or an http url");
        }
        return agents;
    }

    /**
     * Runs the plan's profile with {@link LoadPlan#agents()} agents on {@code runtime}, against
     * {@code url}, and returns the merged run. Every agent is stopped before this returns or throws.
     */
    static LoadRun run(LoadPlan plan, URI url, String targetDescription, Method method, DynoConfiguration configuration,
            WorkloadRuntime runtime, ResourceTracker service, Recorder recorder, Consumer<String> console)
            throws IOException {
        return new LoadAgents(plan, service, recorder, console).run(url, targetDescription, method, configuration, runtime);
    }

    private LoadRun run(URI url, String targetDescription, Method method, DynoConfiguration configuration,
            WorkloadRuntime runtime) throws IOException {
        int agents = plan.agents();
        String configurationJson = new ObjectMapper().writeValueAsString(configuration.parameters());
        List<RunningWorkload> running = new ArrayList<>();
        try (AgentRendezvous rendezvous = new AgentRendezvous()) {
            long launch = System.nanoTime();
            List<WorkloadSpec> specs = new ArrayList<>();
            for (int i = 1; i <= agents; i++) {
                List<String> args = List.of("--test-class", method.getDeclaringClass().getName(), "--test-method",
                        method.getName(), "--scale", Double.toString(plan.scale()), "--agent", Integer.toString(i - 1),
                        "--agents", Integer.toString(agents), "--coordinator", rendezvous.address(), "--url",
                        url.toString());
                specs.add(agentSpec(runtime, args, method).withEnv(CONFIGURATION_ENV, configurationJson)
                        .withName("load-agent-" + i));
            }
            // together: a container agent's start is mostly its class path being copied in, seconds each
            running.addAll(runtime.startAll(specs));
            long startAt = rendezvous.start(agents, READY_TIMEOUT, () -> failIfOneDied(running, "before it was ready"));
            String where = agents == 1 ? "1 agent (" + whereAgentsRan(running, runtime) + ") sending the whole schedule"
                    : agents + " agents (" + whereAgentsRan(running, runtime) + "), each sending every " + ordinal(agents)
                            + " request of every phase's schedule from a common start";
            console.accept(plan.profile().kind() + " profile from " + where + " (ready in "
                    + DurationText.format(Duration.ofNanos(System.nanoTime() - launch)) + ")");
            recorder.attribute("load.agents", where + "; their HdrHistogram interval logs merged");
            awaitAll(running, startAt);
            List<AgentResult> results = new ArrayList<>();
            for (RunningWorkload agent : running) {
                results.add(AgentResult.read(agent));
            }
            checkKeptUp(results);
            return merge(results, targetDescription);
        } finally {
            running.forEach(RunningWorkload::close);
        }
    }

    /**
     * Where the agents ran: the runtime's one place, or, where its engines differ
     * ({@code dyno.docker.hosts}), each agent's engine: {@code agent 1: Docker engine unix:///…}.
     */
    static String whereAgentsRan(List<RunningWorkload> running, WorkloadRuntime runtime) {
        if (running.stream().map(RunningWorkload::where).distinct().count() < 2) {
            return runtime.where();
        }
        List<String> each = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            each.add("agent " + (i + 1) + ": " + running.get(i).where());
        }
        return String.join("; ", each);
    }

    /**
     * An agent as a workload of {@code runtime}. On the process runtime, this JVM's {@code java} on
     * this JVM's class path, in the test's working directory, as the test reads its feed files. In
     * a container (any engine, local or remote), the image's {@code java} on this JVM's class path
     * copied in, with the environment variables the annotation names in {@code ${env:…}}, which a
     * container does not inherit.
     */
    static WorkloadSpec agentSpec(WorkloadRuntime runtime, List<String> args, Method method) {
        if (ProcessRuntime.NAME.equals(runtime.name())) {
            return WorkloadSpec.ofJavaMain(LoadAgent.class, args.toArray(String[]::new))
                    .withWorkingDir(System.getProperty("user.dir"));
        }
        List<String> command = new ArrayList<>();
        List<Path> classPath = classPath(System.getProperty("java.class.path"));
        StringBuilder inContainer = new StringBuilder();
        WorkloadSpec spec = WorkloadSpec.ofCommand(List.of("java")).withWorkingDir(CONTAINER_DIR);
        for (int i = 0; i < classPath.size(); i++) {
            String target = "cp/" + i + "-" + classPath.get(i).getFileName();
            spec = spec.withFile(classPath.get(i), target);
            inContainer.append(i == 0 ? "" : ":").append(target);
        }
        command.addAll(List.of("java", "-cp", inContainer.toString(), LoadAgent.class.getName()));
        command.addAll(args);
        spec = spec.withCommand(command.toArray(String[]::new));
        java.util.regex.Matcher env = ENV_REFERENCE.matcher(
                method.getAnnotation(LoadProfile.class) == null ? "" : method.getAnnotation(LoadProfile.class).toString());
        while (env.find()) {
            String value = System.getenv(env.group(1));
            if (value != null) {
                spec = spec.withEnv(env.group(1), value);
            }
        }
        return spec;
    }

    /** Where an agent's class path is copied to in a container. */
    static final String CONTAINER_DIR = "/tmp/dyno-agent";
    private static final java.util.regex.Pattern ENV_REFERENCE = java.util.regex.Pattern.compile(
            "\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    /**
     * The entries of a class path that exist, with those a manifest-only jar lists (as Surefire
     * starts its JVMs) in its {@code Class-Path}.
     */
    static List<Path> classPath(String value) {
        java.util.LinkedHashSet<Path> entries = new java.util.LinkedHashSet<>();
        for (String entry : value.split(java.io.File.pathSeparator)) {
            if (entry.isBlank() || !Files.exists(Path.of(entry))) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath();
            entries.add(path);
            if (Files.isRegularFile(path) && path.toString().endsWith(".jar")) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(path.toFile())) {
                    java.util.jar.Manifest manifest = jar.getManifest();
                    String listed = manifest == null ? null
                            : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
                    if (listed != null) {
                        for (String reference : listed.trim().split("\\s+")) {
                            Path referenced = Path.of(path.toUri().resolve(reference));
                            if (Files.exists(referenced)) {
                                entries.add(referenced);
                            }
                        }
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // not a jar we can read: java would not read it either
                }
            }
        }
        return List.copyOf(entries);
    }

    /** 2nd, 3rd, 4th, 11th, 21st … */
    static String ordinal(int n) {
        int lastTwo = n % 100;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    /** Fails the run with the output of the first agent that exited with an error. */
    private static void failIfOneDied(List<RunningWorkload> agents, String when) {
        for (RunningWorkload agent : agents) {
            if (!agent.isRunning() && agent.exitCode().orElse(0) != 0) {
                agent.awaitExit(Duration.ofSeconds(5));
                throw new AssertionFailedError(agent.name() + " died with exit code " + agent.exitCode().getAsInt() + " "
                        + when + ", so the run has no result; its last output:\n" + tail(agent.stderr())
                        + tail(agent.stdout()));
            }
        }
    }

    /** Waits for every agent to exit; the first that fails stops the others and fails the run with its output. */
    private void awaitAll(List<RunningWorkload> agents, long startAt) {
        long planned = plannedMillis();
        long deadline = startAt + planned + plan.drain().toMillis() * (stages() + 1) + 30_000;
        long nextProgress = startAt + 10_000;
        while (true) {
            failIfOneDied(agents, "during the " + plan.profile().kind() + " profile");
            if (agents.stream().noneMatch(RunningWorkload::isRunning)) {
                agents.forEach(a -> a.awaitExit(Duration.ofSeconds(10)));
                return;
            }
            long now = System.currentTimeMillis();
            if (now > deadline) {
                throw new AssertionFailedError("load agents still running " + DurationText.format(Duration.ofMillis(
                        now - startAt - planned)) + " after the profile's planned end: "
                        + agents.stream().filter(RunningWorkload::isRunning).map(RunningWorkload::name).toList());
            }
            if (now >= nextProgress && now < startAt + planned) {
                console.accept(String.format(Locale.ROOT, "agents: %.0f s of %.0f s sent", (now - startAt) / 1e3,
                        planned / 1e3));
                nextProgress += 10_000;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionFailedError("interrupted while the load agents ran; they are stopped");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
        }
    }

    private long plannedMillis() {
        if (plan.profile() instanceof SpikePlan spike) {
            return 3 * spike.phase().toMillis();
        }
        if (plan.profile() instanceof SoakPlan soak) {
            return soak.duration().toMillis();
        }
        return ((RampPlan) plan.profile()).stages().stream().mapToLong(s -> s.duration().toMillis()).sum();
    }

    private int stages() {
        return plan.profile() instanceof RampPlan ramp ? ramp.stages().size() : 1;
    }

    /** An agent whose numbers are its own, not the target's, fails the run: it started late or fell behind. */
    private void checkKeptUp(List<AgentResult> results) {
        long allowedLagMillis = Math.max(100, plan.lateAfter().toMillis());
        for (AgentResult r : results) {
            if (r.startLagMillis > allowedLagMillis) {
                throw new AssertionFailedError(r.name + " started " + r.startLagMillis + " ms after the common start"
                        + " (at most " + allowedLagMillis + " ms), so its share did not start with the others': its"
                        + " machine was too busy to wake it on time, or its clock is not this machine's");
            }
            String late = String.format(Locale.ROOT, "%s sent %d of its %d requests (%.1f %%) more than %s after their"
                    + " intended start", r.name, r.late, r.sent, 100.0 * r.late / Math.max(1, r.sent),
                    DurationText.format(plan.lateAfter()));
            if (r.late >= FELL_BEHIND_MIN_LATE && r.late * 100 > FELL_BEHIND_PERCENT * r.sent) {
                throw new AssertionFailedError(late + ": it fell behind its schedule, so its latencies are partly its"
                        + " own; give it more CPU, or use more agents");
            }
            if (r.sent > 0 && r.late * 100 > r.sent) {
                // as one generator's health says: a warning (a JVM's first second is slower), not yet falling behind
                console.accept("WARNING " + late);
                recorder.attribute("load.agents.late", late);
            }
        }
    }

    /**
     * The share of an agent's requests sent late from which it has fallen behind its schedule, in
     * percent, with at least {@link #FELL_BEHIND_MIN_LATE} of them: an agent that cannot keep up
     * sends most of its requests late, while a fresh JVM sends its first one or two late at any
     * rate (1 of 29 at 1 req/s here), which is a large share of a short, slow schedule.
     */
    static final int FELL_BEHIND_PERCENT = 10;
    /** The fewest late requests that can mean an agent fell behind. */
    static final int FELL_BEHIND_MIN_LATE = 10;

    private LoadRun merge(List<AgentResult> results, String targetDescription) {
        for (AgentResult r : results) {
            r.timers.forEach((name, histogram) -> recorder.timer(name).add(histogram));
            r.counters.forEach((name, count) -> recorder.counter(name).add(count));
            r.distributions.forEach((name, counts) -> counts.forEach((key, n) -> recorder.distribution(name).add(key, n)));
        }
        List<PhaseStats> phases = new ArrayList<>();
        for (JsonNode phase : results.get(0).phases) {
            phases.add(phaseStats(phase.get("name").asText(), results));
        }
        phases.forEach(p -> console.accept(plan.profile().kind() + " " + p.summary()));
        LoadTimeline timeline = timeline(results);
        for (PhaseStats phase : phases) {
            // the first agent's start of it: the report's step for the phase starts there
            results.stream().mapToLong(r -> r.phase(phase.name()).path("start_epoch_ms").asLong(Long.MAX_VALUE)).min()
                    .ifPresent(start -> {
                        if (start != Long.MAX_VALUE) {
                            timeline.phaseStartedAt(phase.name(), Instant.ofEpochMilli(start));
                        }
                    });
        }
        List<SoakWindow> windows = new ArrayList<>();
        Drift drift = null;
        if (plan.profile() instanceof SoakPlan soak) {
            windows.addAll(soakWindows(results, soak.window(), soak.duration()));
            windows.forEach(w -> console.accept(w.summary()));
            drift = Drift.of(windows, soak.maxLatencyDrift(), soak.maxMemoryDrift());
            drift.report(recorder, console);
        }
        long sent = results.stream().mapToLong(r -> r.sent).sum();
        long late = results.stream().mapToLong(r -> r.late).sum();
        if (sent > 0 && results.stream().allMatch(r -> r.cpuAtStartMillis >= 0 && r.cpuMillis >= 0)) {
            // From the common start on: the cost of sending, compilation of the send path included. The
            // JVMs' start-up before it (class loading, the target built) is reported apart.
            double perRequest = results.stream().mapToLong(r -> r.cpuMillis - r.cpuAtStartMillis).sum() * 1000.0 / sent;
            long startUp = results.stream().mapToLong(r -> r.cpuAtStartMillis).sum();
            recorder.gauge("load.agents.cpu_per_request_us").set(perRequest);
            recorder.gauge("load.agents.cpu_startup_s").set(startUp / 1000.0);
            console.accept(String.format(Locale.ROOT, "agents: %d requests sent, %.1f µs of agent CPU per request from"
                    + " the common start on; %.1f s of CPU to start their JVMs", sent, perRequest, startUp / 1000.0));
        }
        GeneratorHealth health = new GeneratorHealth(recorder.timer("generator.lag").snapshot(), sent, late,
                plan.lateAfter());
        return new LoadRun(plan.profile().kind(), targetDescription, phases, List.of(), null, windows, drift, health,
                List.of(), null, timeline);
    }

    /** One phase over all agents: counts and histograms added, rates added, the longest agent's duration. */
    private PhaseStats phaseStats(String name, List<AgentResult> results) {
        Map<Outcome, Long> failures = new EnumMap<>(Outcome.class);
        double targetRps = 0;
        double achievedRps = 0;
        long answered = 0;
        long durationMillis = 0;
        for (AgentResult r : results) {
            JsonNode phase = r.phase(name);
            targetRps += phase.get("target_rps").asDouble();
            achievedRps += phase.get("achieved_rps").asDouble();
            answered += phase.get("answered").asLong();
            durationMillis = Math.max(durationMillis, phase.get("duration_ms").asLong());
        }
        // the agents' counts are merged into the recorder already: read them there
        Map<String, Long> byKey = recorder.distribution(name + ".failures").snapshot().counts();
        for (Outcome outcome : Outcome.values()) {
            long n = byKey.getOrDefault(outcome.key(), 0L);
            if (n > 0) {
                failures.put(outcome, n);
            }
        }
        long requests = counter(name + ".requests");
        TargetPace pace = new TargetPace(targetRps, achievedRps, requests, answered, counter(name + ".queued"),
                recorder.timer(name + ".queue_wait").snapshot(), failures.getOrDefault(Outcome.DROPPED, 0L),
                failures.getOrDefault(Outcome.ABANDONED, 0L), plan.lateAfter());
        PhaseStats stats = new PhaseStats(name, targetRps, 0, requests, counter(name + ".ok"),
                counter(name + ".failed"), counter(name + ".late"), failures,
                recorder.timer(name + ".latency").snapshot(), recorder.timer(name + ".service_time").snapshot(),
                Duration.ofMillis(durationMillis), pace);
        PhaseRun.recordGauges(recorder, stats);
        return stats;
    }

    private long counter(String name) {
        return recorder.counter(name).count();
    }

    /**
     * The agents' ticks added up tick by tick, for the charts over time: each agent's k-th tick
     * since the common start goes with every other agent's k-th.
     */
    private LoadTimeline timeline(List<AgentResult> results) {
        long tickMillis = LoadProfileExtension.tick(plan).toMillis();
        long startAt = results.get(0).startAt;
        TreeMap<Long, Histogram> latency = new TreeMap<>();
        TreeMap<Long, long[]> counts = new TreeMap<>();
        for (AgentResult r : results) {
            for (Histogram h : r.ticks) {
                latency.computeIfAbsent((h.getEndTimeStamp() - startAt) / tickMillis, k -> new Histogram(3)).add(h);
            }
            long lastRequests = 0;
            for (JsonNode tick : r.tickCounts) {
                long[] c = counts.computeIfAbsent(tick.get(0).asLong() / tickMillis, k -> new long[3]);
                c[0] += tick.get(1).asLong() - lastRequests;
                c[1] += tick.get(2).asLong();
                c[2] += tick.get(3).asLong();
                lastRequests = tick.get(1).asLong();
            }
        }
        LoadTimeline timeline = new LoadTimeline();
        long requestsSoFar = 0;
        for (Map.Entry<Long, long[]> e : counts.entrySet()) {
            requestsSoFar += e.getValue()[0];
            timeline.tickAt(Instant.ofEpochMilli(startAt + (e.getKey() + 1) * tickMillis), tickMillis / 1e3, requestsSoFar,
                    latency.getOrDefault(e.getKey(), new Histogram(3)), e.getValue()[1], e.getValue()[2]);
        }
        return timeline;
    }

    /** Soak windows from the agents' tick intervals: the latency of every answer of every agent in each window. */
    private List<SoakWindow> soakWindows(List<AgentResult> results, Duration window, Duration duration) {
        long start = results.get(0).startAt;
        long windowMillis = window.toMillis();
        // the answers that come after the schedule's end (the drain's last tick) belong to the last window
        long last = Math.max(0, (duration.toMillis() + windowMillis - 1) / windowMillis - 1);
        TreeMap<Long, Histogram> byWindow = new TreeMap<>();
        TreeMap<Long, long[]> counts = new TreeMap<>();
        for (AgentResult r : results) {
            for (Histogram h : r.ticks) {
                long index = Math.min(last, Math.max(0, (h.getEndTimeStamp() - 1 - start) / windowMillis));
                byWindow.computeIfAbsent(index, k -> new Histogram(3)).add(h);
            }
            for (JsonNode tick : r.tickCounts) {
                long index = Math.min(last, Math.max(0, (tick.get(0).asLong() - 1) / windowMillis));
                long[] c = counts.computeIfAbsent(index, k -> new long[2]);
                c[0] += tick.get(2).asLong() + tick.get(3).asLong();
                c[1] += tick.get(2).asLong();
            }
        }
        List<SoakWindow> windows = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : counts.entrySet()) {
            Histogram h = byWindow.getOrDefault(e.getKey(), new Histogram(3));
            boolean any = h.getTotalCount() > 0;
            long from = start + e.getKey() * windowMillis;
            long to = e.getKey() == last ? System.currentTimeMillis() : from + windowMillis;
            // the service as Dyno sampled it in this window, as one generator's soak has it
            long memory = service == null ? -1 : service.memoryBytesAt(to);
            double cpu = service == null ? Double.NaN : service.meanCpuBetween(from, to);
            windows.add(new SoakWindow(windows.size() + 1, Duration.ofMillis(e.getKey() * windowMillis), e.getValue()[0],
                    e.getValue()[1], Duration.ofNanos(any ? Math.round(h.getMean()) : 0),
                    Duration.ofNanos(any ? h.getValueAtPercentile(95) : 0), Duration.ofNanos(any ? h.getValueAtPercentile(99) : 0),
                    Duration.ofNanos(any ? h.getMaxValue() : 0), memory, cpu, -1));
        }
        return windows;
    }

    private static String tail(String output) {
        String trimmed = output.strip();
        return trimmed.isEmpty() ? "" : (trimmed.length() > 4000 ? "…" + trimmed.substring(trimmed.length() - 4000) : trimmed) + "\n";
    }

    /** What one agent wrote: its log's histograms and its summary. */
    private static final class AgentResult {
        final String name;
        final long startAt;
        final long startLagMillis;
        final long sent;
        final long late;
        final long cpuMillis;
        final long cpuAtStartMillis;
        final Map<String, Histogram> timers = new LinkedHashMap<>();
        final List<Histogram> ticks = new ArrayList<>();
        final Map<String, Long> counters = new LinkedHashMap<>();
        final Map<String, Map<String, Long>> distributions = new LinkedHashMap<>();
        final JsonNode phases;
        final JsonNode tickCounts;

        private AgentResult(String name, long startAt, JsonNode summary) {
            this.name = name;
            this.startAt = startAt;
            this.startLagMillis = summary.get("start_lag_ms").asLong();
            this.sent = summary.get("sent").asLong();
            this.late = summary.get("late").asLong();
            this.cpuMillis = summary.path("cpu_ms").asLong(-1);
            this.cpuAtStartMillis = summary.path("cpu_at_start_ms").asLong(-1);
            this.phases = summary.get("phases");
            this.tickCounts = summary.get("ticks");
            summary.get("counters").fields().forEachRemaining(e -> counters.put(e.getKey(), e.getValue().asLong()));
            summary.get("distributions").fields().forEachRemaining(d -> {
                Map<String, Long> counts = new LinkedHashMap<>();
                d.getValue().fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
                distributions.put(d.getKey(), counts);
            });
        }

        JsonNode phase(String phaseName) {
            for (Iterator<JsonNode> it = phases.elements(); it.hasNext(); ) {
                JsonNode phase = it.next();
                if (phase.get("name").asText().equals(phaseName)) {
                    return phase;
                }
            }
            throw new AssertionFailedError(name + " sent no phase " + phaseName);
        }

        /** Reads the agent's whole standard output: the interval log, then the summary after the marker. */
        static AgentResult read(RunningWorkload agent) {
            String output;
            try {
                output = Files.readString(agent.stdoutFile(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the output of " + agent.name(), e);
            }
            int marker = output.lastIndexOf(MetricsJson.MARKER);
            if (marker < 0) {
                throw new AssertionFailedError(agent.name() + " exited without its summary; its last output:\n"
                        + tail(agent.stderr()) + tail(agent.stdout()));
            }
            try {
                JsonNode summary = new ObjectMapper().readTree(output.substring(marker + MetricsJson.MARKER.length()));
                HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(
                        output.substring(0, marker).getBytes(StandardCharsets.UTF_8)));
                List<EncodableHistogram> intervals = new ArrayList<>();
                for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
                    intervals.add(h);
                }
                // The log's start time, which the reader knows once it has read the header: the common start.
                AgentResult result = new AgentResult(agent.name(), Math.round(reader.getStartTimeSec() * 1000), summary);
                for (EncodableHistogram interval : intervals) {
                    Histogram h = (Histogram) interval;
                    if (TICK_TAG.equals(h.getTag())) {
                        result.ticks.add(h);
                    } else {
                        result.timers.put(h.getTag(), h);
                    }
                }
                return result;
            } catch (IOException | RuntimeException e) {
                throw new AssertionFailedError(agent.name() + " wrote output that is not an agent's log and summary: " + e
                        + "; its last output:\n" + tail(agent.stdout()), e);
            }
        }
    }

}
