package dev.dyno.load;

import dev.dyno.assertions.Threshold;
import dev.dyno.load.LoadProfile.Http;
import dev.dyno.load.LoadProfile.Load;
import dev.dyno.load.LoadProfile.Ramp;
import dev.dyno.load.LoadProfile.Soak;
import dev.dyno.load.LoadProfile.Spike;
import dev.dyno.load.LoadProfile.Stress;
import dev.dyno.metrics.DurationText;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.ReflectionSupport;

/** A {@link LoadProfile} checked attribute by attribute, with its durations scaled: what to run. */
record LoadPlan(Profile profile, TargetChoice target, HttpPlan http, List<Threshold> thresholds,
        boolean abortOnFail, int maxInFlight, Duration lateAfter, Duration drain, double scale, int agents,
        String agentRuntime) {

    sealed interface Profile {
        String kind();
    }

    record Scenario(String name, int requests, int users, Duration maxDuration) {
    }

    record Closed(List<Scenario> scenarios) implements Profile {
        public String kind() {
            return "load";
        }
    }

    record SpikePlan(double baselineRps, double spikeRps, Duration phase) implements Profile {
        public String kind() {
            return "spike";
        }
    }

    record StressPlan(double startRps, double stepRps, double maxRps, Duration step, double minSuccessRate,
            Duration maxMeanLatency, int narrowSteps) implements Profile {
        public String kind() {
            return "stress";
        }
    }

    record SoakPlan(double rps, Duration duration, Duration window, double maxLatencyDrift, double maxMemoryDrift)
            implements Profile {
        public String kind() {
            return "soak";
        }
    }

    record Stage(String name, double fromRps, double toRps, Duration duration) {
    }

    record RampPlan(List<Stage> stages) implements Profile {
        public String kind() {
            return "ramp";
        }
    }

    sealed interface TargetChoice {
    }

    record ServiceTarget(String service) implements TargetChoice {
    }

    record UrlTarget(URI url) implements TargetChoice {
    }

    record MethodTarget(Method method) implements TargetChoice {
    }

    /** The longest whole run a plan may describe, after scaling: a week. */
    static final Duration MAX_RUN = Duration.ofDays(7);

    static LoadPlan of(LoadProfile a, double scale, Class<?> testClass) {
        return of(a, scale, testClass, System::getenv);
    }

    static LoadPlan of(LoadProfile a, double scale, Class<?> testClass, java.util.function.UnaryOperator<String> environment) {
        List<Threshold> thresholds = Threshold.parseAll("@LoadProfile(thresholds)", a.thresholds());
        if (a.maxInFlight() < 1 || a.maxInFlight() > 100_000) {
            throw bad("maxInFlight", a.maxInFlight(), "a number of requests from 1 to 100000, such as 1000");
        }
        Duration lateAfter = DurationText.parsePositive("@LoadProfile(lateAfter)", a.lateAfter());
        Profile profile = profile(a, scale);
        TargetChoice target = target(a, testClass);
        String urlPath = null;
        if (target instanceof UrlTarget url) {
            String raw = url.url().getRawPath() == null ? "" : url.url().getRawPath();
            urlPath = url.url().getRawQuery() == null ? raw : raw + "?" + url.url().getRawQuery();
        }
        HttpPlan http = HttpPlan.of(a.http(), testClass, environment, urlPath);
        // The default waits as long as a request may still answer: its timeout, and a second for the answer to arrive.
        Duration drain = a.drain().isBlank() ? http.timeout().plusSeconds(1)
                : DurationText.parsePositive("@LoadProfile(drain)", a.drain());
        int agents = LoadAgents.checkAgents(a.agents(), profile, target);
        String agentRuntime = a.agentRuntime().strip().toLowerCase(Locale.ROOT);
        if (!List.of("process", "docker").contains(agentRuntime)) {
            throw bad("agentRuntime", a.agentRuntime(), "\"process\" (JVMs of this machine) or \"docker\" (containers of"
                    + " the configured engine)");
        }
        return new LoadPlan(profile, target, http, thresholds, a.abortOnFail(), a.maxInFlight(), lateAfter, drain, scale,
                agents, agentRuntime);
    }

    private static Profile profile(LoadProfile a, double scale) {
        Map<String, Integer> given = new LinkedHashMap<>();
        given.put("load", a.load().length);
        given.put("spike", a.spike().length);
        given.put("stress", a.stress().length);
        given.put("soak", a.soak().length);
        given.put("ramp", a.ramp().length);
        List<String> present = given.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
        if (present.size() != 1) {
            throw new ExtensionConfigurationException("@LoadProfile needs exactly one profile, and "
                    + (present.isEmpty() ? "none is given" : "it has " + String.join(" and ", present))
                    + ": give one of load = @Load(...), spike = @Spike(...), stress = @Stress(...), soak = @Soak(...)"
                    + " or ramp = @Ramp(...); run several profiles as several test methods");
        }
        for (String single : List.of("spike", "stress", "soak")) {
            if (given.get(single) > 1) {
                throw bad(single, given.get(single) + " elements", "exactly one @" + capitalize(single));
            }
        }
        Duration total;
        Profile profile;
        switch (present.get(0)) {
            case "load" -> {
                List<Scenario> scenarios = new ArrayList<>();
                Set<String> names = new HashSet<>();
                for (Load load : a.load()) {
                    String name = phaseName("load.name", load.name());
                    if (!names.add(name)) {
                        throw bad("load.name", name, "a name used once; each scenario is a phase of its own");
                    }
                    if (load.requests() < 1 || load.requests() > 100_000_000) {
                        throw bad("load.requests", load.requests(), "a number of requests from 1 to 100000000, such as 20");
                    }
                    if (load.concurrency() < 1 || load.concurrency() > 10_000) {
                        throw bad("load.concurrency", load.concurrency(), "a number of users from 1 to 10000, such as 2");
                    }
                    scenarios.add(new Scenario(name, load.requests(), load.concurrency(),
                            scaled("load.maxDuration", load.maxDuration(), scale)));
                }
                profile = new Closed(scenarios);
                total = scenarios.stream().map(Scenario::maxDuration).reduce(Duration.ZERO, Duration::plus);
            }
            case "spike" -> {
                Spike s = a.spike()[0];
                rate("spike.baselineRps", s.baselineRps());
                rate("spike.spikeRps", s.spikeRps());
                if (s.spikeRps() <= s.baselineRps()) {
                    throw bad("spike.spikeRps", s.spikeRps(), "a rate above spike.baselineRps (" + s.baselineRps() + ")");
                }
                profile = new SpikePlan(s.baselineRps(), s.spikeRps(), scaled("spike.phase", s.phase(), scale));
                total = ((SpikePlan) profile).phase().multipliedBy(3);
            }
            case "stress" -> {
                Stress s = a.stress()[0];
                rate("stress.startRps", s.startRps());
                rate("stress.stepRps", s.stepRps());
                rate("stress.maxRps", s.maxRps());
                if (s.maxRps() < s.startRps()) {
                    throw bad("stress.maxRps", s.maxRps(), "a rate at least stress.startRps (" + s.startRps() + ")");
                }
                if ((s.maxRps() - s.startRps()) / s.stepRps() > 1000) {
                    throw bad("stress.stepRps", s.stepRps(), "a step that reaches stress.maxRps in at most 1000 steps");
                }
                if (!(s.minSuccessRate() > 0 && s.minSuccessRate() <= 1)) {
                    throw bad("stress.minSuccessRate", s.minSuccessRate(), "a fraction above 0 and at most 1, such as 0.95");
                }
                if (s.narrowSteps() < 0 || s.narrowSteps() > 10) {
                    throw bad("stress.narrowSteps", s.narrowSteps(), "a number of steps from 0 to 10");
                }
                StressPlan plan = new StressPlan(s.startRps(), s.stepRps(), s.maxRps(), scaled("stress.step", s.step(), scale),
                        s.minSuccessRate(), DurationText.parsePositive("@LoadProfile(stress.maxMeanLatency)", s.maxMeanLatency()),
                        s.narrowSteps());
                profile = plan;
                long steps = (long) Math.floor((s.maxRps() - s.startRps()) / s.stepRps() + 1e-9) + 1 + s.narrowSteps();
                total = plan.step().multipliedBy(steps);
            }
            case "soak" -> {
                Soak s = a.soak()[0];
                rate("soak.rps", s.rps());
                Duration duration = scaled("soak.duration", s.duration(), scale);
                Duration window = scaled("soak.window", s.window(), scale);
                if (window.compareTo(duration) > 0) {
                    throw bad("soak.window", s.window(), "a window no longer than soak.duration (" + s.duration() + ")");
                }
                if (window.toMillis() < 100) {
                    throw bad("soak.window", s.window() + (scale != 1 ? " (scaled by " + scale + ")" : ""),
                            "a window of at least 100ms after scaling");
                }
                if (!(s.maxLatencyDrift() > 0) || !(s.maxMemoryDrift() > 0)) {
                    throw bad("soak.maxLatencyDrift/maxMemoryDrift", s.maxLatencyDrift() + "/" + s.maxMemoryDrift(),
                            "fractions above zero, such as 0.25 for +25 %");
                }
                profile = new SoakPlan(s.rps(), duration, window, s.maxLatencyDrift(), s.maxMemoryDrift());
                total = duration;
            }
            default -> {
                List<Stage> stages = new ArrayList<>();
                Set<String> names = new HashSet<>();
                for (int i = 0; i < a.ramp().length; i++) {
                    Ramp r = a.ramp()[i];
                    String name = r.name().isEmpty() ? "ramp-" + (i + 1) : phaseName("ramp.name", r.name());
                    if (!names.add(name)) {
                        throw bad("ramp.name", name, "a name used once");
                    }
                    if (!(r.fromRps() >= 0) || r.fromRps() > ArrivalRatePacer.MAX_RPS) {
                        throw bad("ramp.fromRps", r.fromRps(), "a rate from 0 to " + (long) ArrivalRatePacer.MAX_RPS + " req/s");
                    }
                    rate("ramp.toRps", r.toRps());
                    stages.add(new Stage(name, r.fromRps(), r.toRps(), scaled("ramp.duration", r.duration(), scale)));
                }
                profile = new RampPlan(stages);
                total = stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
            }
        }
        if (total.compareTo(MAX_RUN) > 0) {
            throw new ExtensionConfigurationException("@LoadProfile(" + profile.kind() + ") describes a run of "
                    + DurationText.format(total) + ", longer than allowed: at most 7 days");
        }
        return profile;
    }

    private static TargetChoice target(LoadProfile a, Class<?> testClass) {
        List<String> given = new ArrayList<>();
        if (!a.service().isBlank()) {
            given.add("service = \"" + a.service() + "\"");
        }
        if (!a.http().url().isBlank()) {
            given.add("http.url = \"" + a.http().url() + "\"");
        }
        if (!a.target().isBlank()) {
            given.add("target = \"" + a.target() + "\"");
        }
        if (given.size() != 1) {
            throw new ExtensionConfigurationException("@LoadProfile needs exactly one target, and "
                    + (given.isEmpty() ? "none is given" : "it has " + String.join(" and ", given))
                    + ": give service (a workload name, with http.path), http.url (a running service) or target"
                    + " (a method of the test class returning a LoadTarget)");
        }
        if (!a.service().isBlank()) {
            return new ServiceTarget(a.service().strip());
        }
        if (!a.http().url().isBlank()) {
            return new UrlTarget(url(a.http().url().strip()));
        }
        String name = a.target().strip();
        Method method = ReflectionSupport.findMethod(testClass, name).orElseThrow(() -> bad("target", name,
                "the name of a method of " + testClass.getSimpleName() + " without parameters that returns a LoadTarget"));
        if (!LoadTarget.class.isAssignableFrom(method.getReturnType())) {
            throw bad("target", name, "a method returning LoadTarget, but " + method.getName() + " returns "
                    + method.getReturnType().getSimpleName());
        }
        return new MethodTarget(method);
    }

    /** An absolute {@code http} or {@code https} URL with a host, any host; the port defaults to the scheme's. */
    static URI url(String text) {
        String example = "such as \"https://staging.example.test/health\" or \"http://127.0.0.1:8080/health\"";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw bad("http.url", text, "an http or https URL " + example + " (" + e.getReason() + ")");
        }
        if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw bad("http.url", text, "a URL starting with http:// or https://, " + example
                    + (uri.getScheme() == null ? "; it has no scheme" : "; " + uri.getScheme() + " is not one"));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw bad("http.url", text, "a URL with a host name or address, " + example
                    + (uri.getRawAuthority() != null ? "; \"" + uri.getRawAuthority() + "\" is not a host[:port]" : ""));
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw bad("http.url", text, "a URL without user information or fragment; send credentials as a header,"
                    + " such as \"Authorization: Bearer ${env:TOKEN}\"");
        }
        // The scheme in lower case; the rest as written, which the Host header and the resolve rule use.
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + text.substring(uri.getScheme().length()));
    }

    private static void rate(String attribute, double rps) {
        if (!(rps > 0) || rps > ArrivalRatePacer.MAX_RPS) {
            throw bad(attribute, rps, "a rate above zero and at most " + (long) ArrivalRatePacer.MAX_RPS
                    + " requests per second, such as 2 or 0.5");
        }
    }

    private static Duration scaled(String attribute, String text, double scale) {
        Duration d = DurationText.parsePositive("@LoadProfile(" + attribute + ")", text);
        return scale == 1 ? d : Duration.ofNanos(Math.max(1_000_000, Math.round(d.toNanos() * scale)));
    }

    private static String phaseName(String attribute, String name) {
        if (!name.matches("[A-Za-z][A-Za-z0-9_-]{0,39}")) {
            throw bad(attribute, name, "a phase name of 1 to 40 letters, digits, '_' or '-', starting with a letter,"
                    + " such as \"light\"");
        }
        return name;
    }

    static ExtensionConfigurationException bad(String attribute, Object value, String allowed) {
        return new ExtensionConfigurationException("@LoadProfile(" + attribute + ") value \"" + value
                + "\" is not allowed: expected " + allowed);
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
