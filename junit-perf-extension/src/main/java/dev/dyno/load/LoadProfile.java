package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.PerfTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @LoadProfile} is used to send load, spike, stress or soak traffic to a service inside a
 * {@link PerfTest}, and to hand the test method a {@link LoadRun} to assert on.
 *
 * <p>Before the method runs, Dyno starts the {@link #service()} (a named workload, ready when its
 * HTTP readiness probe answers), runs the one profile given ({@link #load()}, {@link #spike()},
 * {@link #stress()}, {@link #soak()} or {@link #ramp()}), stops the service, and checks
 * {@link #thresholds()} after the method. Every number also lands in the test's {@code Recorder},
 * so {@code @PerfTest} thresholds, reports and assertions see it.
 *
 * <pre>{@code
 * @LoadProfile(service = "inference-service",
 *         http = @Http(method = "POST", path = "/generate", body = "{\"prompt\":\"hi\",\"max_tokens\":50}"),
 *         spike = @Spike(baselineRps = 2, spikeRps = 15, phase = "30s"),
 *         thresholds = {"spike.success_rate >= 99%", "spike.latency p95 < 5s"})
 * void survivesSpike(LoadRun run) {
 *     assertThat(run.phase("spike")).successRate().isAtLeast(0.99);
 *     assertThat(run.phase("recovery")).latency().percentile(95).isLessThan(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <h2>Open and closed model</h2>
 * {@link Load} runs the guide's closed model: a number of users, each sending its next request
 * when the previous one answered. The other profiles are open model: requests start at the rate
 * given whatever the target does, latency is measured from each request's intended start
 * (coordinated-omission correct) and the service time from its real start is kept beside it.
 *
 * <h2>Phases and metrics</h2>
 * Phases are named {@code light}/{@code medium}/{@code heavy} (or as {@link Load#name()} says),
 * {@code baseline}/{@code spike}/{@code recovery}, {@code stress-<rps>rps}, {@code soak} and
 * {@code ramp-<n>}. Each records timers {@code <phase>.latency} and {@code <phase>.service_time},
 * counters {@code <phase>.requests}, {@code .ok}, {@code .failed}, {@code .late}, gauges
 * {@code <phase>.success_rate} and {@code <phase>.throughput}, and thresholds name them in the
 * vocabulary of k6 and Gatling: {@code "spike.latency p95 < 5s"}, {@code "soak.success_rate >= 99%"}.
 * Open-model phases add whether the target kept up ({@link TargetPace}): gauges
 * {@code <phase>.offered_rps} and {@code <phase>.achieved_rps}, timer {@code <phase>.queue_wait},
 * counters {@code <phase>.queued} and {@code <phase>.abandoned}; a phase answered below 90 % of its
 * offered rate is warned about while running and recorded as the attribute {@code load.target.pace}.
 *
 * <h2>Target</h2>
 * Exactly one of: {@link #service()} (with {@link Http#path()}), {@link Http#url()} (a service
 * already running on 127.0.0.1), or {@link #target()} (a method of the test class returning a
 * {@link LoadTarget}, for Java code in process).
 *
 * <h2>Short runs in CI</h2>
 * Write the guide's durations; in {@link dev.dyno.RunMode#CI} every duration of the profile is
 * multiplied by {@link #ciScale()}, or by the configuration parameter {@value #SCALE_PROPERTY}
 * when it is set (in any mode).
 *
 * @since 0.1
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@PerfTest
@ExtendWith(LoadProfileExtension.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface LoadProfile {

    /**
     * Configuration parameter: a factor for every duration of every profile, in any run mode;
     * {@link dev.dyno.DynoConfiguration#LOAD_SCALE_PROPERTY}.
     */
    String SCALE_PROPERTY = dev.dyno.DynoConfiguration.LOAD_SCALE_PROPERTY;

    /** A workload of a {@link dev.dyno.runtime.WorkloadCatalog}, such as {@code "inference-service"}. */
    String service() default "";

    /** The request to send. */
    Http http() default @Http;

    /**
     * The name of a method of the test class (no parameters) returning the {@link LoadTarget} to
     * load, such as a {@link LoadTarget#call Java callable}. The target is closed after the run.
     */
    String target() default "";

    /** The closed-model scenarios, run in order, such as the guide's light, medium and heavy load. */
    Load[] load() default {};

    /** Baseline, spike and recovery at fixed rates. */
    Spike[] spike() default {};

    /** Steps of rising rate until the breaking point. */
    Stress[] stress() default {};

    /** One rate for a long time, in windows, with a drift check. */
    Soak[] soak() default {};

    /** Stages of a linearly changing arrival rate (k6's ramping arrival rate), run in order. */
    Ramp[] ramp() default {};

    /** Expectations checked after the method, like {@link PerfTest#thresholds()}. */
    String[] thresholds() default {};

    /**
     * Whether to stop the run as soon as a threshold is breached (checked at the end of each
     * phase, step and soak window); the test then fails with the breach.
     */
    boolean abortOnFail() default false;

    /** The most requests in flight; open-model requests beyond it are dropped and counted as failed. */
    int maxInFlight() default 1000;

    /** The scheduling lag from which an open-model request counts as sent late. */
    String lateAfter() default "5ms";

    /**
     * How long to wait, after a phase's schedule has ended, for requests still in flight; those
     * still waiting then are counted as {@link Outcome#ABANDONED} failures. A target that cannot
     * keep up with the offered rate builds a backlog, and this bounds how far the run overruns its
     * planned duration for it: each spike and soak run waits once, each ramp stage and stress step
     * once. Not scaled by {@link #ciScale()}, since it is a bound on waiting, like
     * {@link Http#timeout()}. The default, {@code ""}, is the request timeout plus one second, so
     * no request that could still answer is abandoned.
     *
     * @since 0.1
     */
    String drain() default "";

    /** In CI mode, every duration is multiplied by this (from 0.001 to 1). */
    double ciScale() default 1.0;

    /**
     * What counts the service's replicas over time. The default counts running workloads of the
     * service's runtime carrying the label {@code app=<service>}; a class of your own (public,
     * no-argument constructor) can read a Kubernetes Deployment instead.
     */
    Class<? extends ScalingObserver> scaling() default ScalingObserver.class;

    /**
     * An HTTP request. With {@link LoadProfile#service()}, {@link #path()} is sent to the port
     * of the service's HTTP readiness probe; without it, {@link #url()} names the target.
     *
     * @since 0.1
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Http {
        /** GET, POST, PUT, PATCH, DELETE or HEAD. */
        String method() default "GET";

        /** The path (and query) on the service, such as {@code "/generate"}. */
        String path() default "/";

        /** A complete URL of a service on this machine (127.0.0.1, localhost or ::1), instead of a service. */
        String url() default "";

        /** Headers as {@code "Name: value"}. */
        String[] headers() default {};

        /** The body, sent as UTF-8 ({@code application/json} unless a Content-Type header says otherwise). */
        String body() default "";

        /** How long to wait for a connection and for each read of the answer. */
        String timeout() default "30s";

        /** The status codes that count as success. */
        int[] expectStatus() default {200};

        /** The most connections to keep open (one request per connection at a time). */
        int connections() default 256;
    }

    /**
     * A closed-model scenario: {@link #concurrency()} users share {@link #requests()} requests,
     * each sending when its previous request answered (the guide's "20 requests, 2 concurrent").
     *
     * @since 0.1
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Load {
        /** The phase name, such as {@code "light"}. */
        String name();

        int requests();

        int concurrency();

        /** The longest the scenario may run; unfinished requests are not sent. */
        String maxDuration() default "10m";
    }

    /**
     * Baseline, spike and recovery, each {@link #phase()} long, at fixed arrival rates.
     *
     * @since 0.1
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Spike {
        double baselineRps();

        double spikeRps();

        /** How long each of the three phases lasts. */
        String phase() default "30s";
    }

    /**
     * Steps from {@link #startRps()} up by {@link #stepRps()} to {@link #maxRps()}, each
     * {@link #step()} long, stopping at the first step that breaks (success below
     * {@link #minSuccessRate()} or mean latency above {@link #maxMeanLatency()}); then
     * {@link #narrowSteps()} more steps halve the gap between the last good and the first bad rate.
     *
     * @since 0.1
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Stress {
        double startRps();

        double stepRps();

        double maxRps();

        String step() default "60s";

        double minSuccessRate() default 0.95;

        String maxMeanLatency() default "10s";

        /** Extra steps bisecting the gap between the last good and the first bad rate (0 to 10). */
        int narrowSteps() default 2;
    }

    /**
     * One arrival rate for {@link #duration()}, reported per {@link #window()} (average, p95, p99,
     * success, the service's memory and CPU), with a drift check: gauges {@code soak.latency.drift}
     * and {@code soak.memory.drift} hold the relative change across the run of a straight line
     * fitted through the windows' p95 latency and memory.
     *
     * @since 0.1
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Soak {
        double rps();

        String duration();

        String window() default "1m";

        /** The latency drift above which {@link Drift#latencyTrendingUp()} holds (0.25 = 25 %). */
        double maxLatencyDrift() default 0.25;

        /** The memory drift above which {@link Drift#memoryTrendingUp()} holds. */
        double maxMemoryDrift() default 0.25;
    }

    /**
     * A stage of linearly changing arrival rate; {@code fromRps == toRps} is a constant rate.
     *
     * @since 0.1
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Ramp {
        /** The phase name; {@code ramp-<n>} (from 1) when empty. */
        String name() default "";

        double fromRps();

        double toRps();

        String duration();
    }
}
