package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * What a {@link LoadProfile} run measured, handed to the test method to assert on.
 *
 * <pre>{@code
 * @LoadProfile(service = "inference-service", stress = @Stress(startRps = 1, stepRps = 3, maxRps = 30))
 * void findsBreakingPoint(LoadRun run) {
 *     assertThat(run.breakingPoint()).isPresent();
 *     assertThat(run.phase(run.stressSteps().get(0).stats().name())).successRate().isAtLeast(0.99);
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LoadRun {

    private final String profile;
    private final String target;
    private final List<PhaseStats> phases;
    private final List<StressStep> stressSteps;
    private final BreakingPoint breakingPoint;
    private final List<SoakWindow> soakWindows;
    private final Drift drift;
    private final GeneratorHealth generator;
    private final List<ScalingEvent> scaling;
    private final String abortReason;
    private final List<CheckFailure> checkFailures;
    private final long checkFailureCount;
    private final List<String> traffic;
    private final LoadTimeline timeline;

    LoadRun(String profile, String target, List<PhaseStats> phases, List<StressStep> stressSteps,
            BreakingPoint breakingPoint, List<SoakWindow> soakWindows, Drift drift, GeneratorHealth generator,
            List<ScalingEvent> scaling, String abortReason) {
        this(profile, target, phases, stressSteps, breakingPoint, soakWindows, drift, generator, scaling, abortReason,
                new LoadTimeline());
    }

    LoadRun(String profile, String target, List<PhaseStats> phases, List<StressStep> stressSteps,
            BreakingPoint breakingPoint, List<SoakWindow> soakWindows, Drift drift, GeneratorHealth generator,
            List<ScalingEvent> scaling, String abortReason, LoadTimeline timeline) {
        this(profile, target, phases, stressSteps, breakingPoint, soakWindows, drift, generator, scaling, abortReason,
                List.of(), 0, List.of(), timeline);
    }

    private LoadRun(String profile, String target, List<PhaseStats> phases, List<StressStep> stressSteps,
            BreakingPoint breakingPoint, List<SoakWindow> soakWindows, Drift drift, GeneratorHealth generator,
            List<ScalingEvent> scaling, String abortReason, List<CheckFailure> checkFailures, long checkFailureCount,
            List<String> traffic, LoadTimeline timeline) {
        this.timeline = timeline;
        this.checkFailures = List.copyOf(checkFailures);
        this.checkFailureCount = checkFailureCount;
        this.traffic = List.copyOf(traffic);
        this.profile = profile;
        this.target = target;
        this.phases = List.copyOf(phases);
        this.stressSteps = List.copyOf(stressSteps);
        this.breakingPoint = breakingPoint;
        this.soakWindows = List.copyOf(soakWindows);
        this.drift = drift;
        this.generator = generator;
        this.scaling = List.copyOf(scaling);
        this.abortReason = abortReason;
    }

    /** {@code load}, {@code spike}, {@code stress}, {@code soak} or {@code ramp}. */
    public String profile() {
        return profile;
    }

    /** What was loaded, such as {@code POST http://127.0.0.1:41234/generate}. */
    public String target() {
        return target;
    }

    /** Every phase, in the order run. */
    public List<PhaseStats> phases() {
        return phases;
    }

    /**
     * The phase named {@code name}.
     *
     * @throws IllegalArgumentException naming the phases there are
     */
    public PhaseStats phase(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no phase \"" + name + "\" in this " + profile
                        + " run; its phases are " + phases.stream().map(PhaseStats::name)
                        .collect(Collectors.joining(", ", "[", "]"))));
    }

    /** The steps of a stress profile, narrowing steps last; empty for other profiles. */
    public List<StressStep> stressSteps() {
        return stressSteps;
    }

    /** Where a stress profile broke; empty when it held up to its maximum rate, or for other profiles. */
    public Optional<BreakingPoint> breakingPoint() {
        return Optional.ofNullable(breakingPoint);
    }

    /** The highest stress rate that held; 0 when none did or for other profiles. */
    public double maxSustainableRps() {
        return stressSteps.stream().filter(StressStep::held).mapToDouble(StressStep::rps).max().orElse(0);
    }

    /** A soak's windows in order; empty for other profiles. */
    public List<SoakWindow> soakWindows() {
        return soakWindows;
    }

    /** A soak's drift check; empty for other profiles. */
    public Optional<Drift> drift() {
        return Optional.ofNullable(drift);
    }

    /** How well the generator kept its schedule. */
    public GeneratorHealth generator() {
        return generator;
    }

    /** Requests of every phase still in flight when the run stopped waiting for them (the drain bound). */
    public long abandoned() {
        return phases.stream().mapToLong(PhaseStats::abandoned).sum();
    }

    /** Changes of the replica count during the run, the first sample included; empty when nothing counted them. */
    public List<ScalingEvent> scaling() {
        return scaling;
    }

    /** This run with what an HTTP target saw: the answers that failed a check, and where traffic went. */
    LoadRun withHttp(List<CheckFailure> checkFailures, long checkFailureCount, List<String> traffic) {
        return new LoadRun(profile, target, phases, stressSteps, breakingPoint, soakWindows, drift, generator, scaling,
                abortReason, checkFailures, checkFailureCount, traffic, timeline);
    }

    /** The run tick by tick and the start of each phase, for the report. */
    LoadTimeline timeline() {
        return timeline;
    }

    /**
     * The first {@value LoadProfile.Check#EXAMPLES} answers that failed a {@link LoadProfile.Check},
     * in the order they came; empty when none failed or the target is not HTTP.
     *
     * @since 0.2
     */
    public List<CheckFailure> checkFailures() {
        return checkFailures;
    }

    /**
     * How many answers failed a check over the whole run ({@link Outcome#CHECK_FAILED}).
     *
     * @since 0.2
     */
    public long checkFailureCount() {
        return checkFailureCount;
    }

    /**
     * Where HTTP traffic went: each host as named, the address it was sent to and the connections
     * opened, such as {@code staging.example.test:443 at 127.0.0.1: 32 connections}; empty for a
     * Java target.
     *
     * @since 0.2
     */
    public List<String> traffic() {
        return traffic;
    }

    /** Why the run stopped early (a breached threshold with {@code abortOnFail}); empty when it ran to the end. */
    public Optional<String> abortReason() {
        return Optional.ofNullable(abortReason);
    }

    @Override
    public String toString() {
        return profile + " run of " + target + ": " + phases.stream().map(PhaseStats::summary)
                .collect(Collectors.joining("; "));
    }
}
