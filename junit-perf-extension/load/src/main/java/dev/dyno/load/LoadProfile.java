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
 * already running, on this machine or any other, over HTTP or HTTPS), or {@link #target()} (a
 * method of the test class returning a {@link LoadTarget}, for Java code in process).
 *
 * <h2>Short runs in CI</h2>
 * Write the guide's durations; in {@link dev.dyno.config.RunMode#CI} every duration of the profile is
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
     * {@link dev.dyno.config.DynoConfiguration#LOAD_SCALE_PROPERTY}.
     */
    String SCALE_PROPERTY = dev.dyno.config.DynoConfiguration.LOAD_SCALE_PROPERTY;

    /**
     * Configuration parameter: addresses to use instead of resolving, as curl's {@code --resolve},
     * {@code HOST:PORT:ADDRESS} separated by commas; {@link dev.dyno.config.DynoConfiguration#LOAD_RESOLVE_PROPERTY}.
     *
     * @since 0.2
     */
    String RESOLVE_PROPERTY = dev.dyno.config.DynoConfiguration.LOAD_RESOLVE_PROPERTY;

    /**
     * Configuration parameter: {@code true} accepts any certificate and host name, loudly reported;
     * {@link dev.dyno.config.DynoConfiguration#LOAD_TLS_INSECURE_PROPERTY}.
     *
     * @since 0.2
     */
    String TLS_INSECURE_PROPERTY = dev.dyno.config.DynoConfiguration.LOAD_TLS_INSECURE_PROPERTY;

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
     * How many load agents send the load: {@code 0}, the default, sends it from this JVM. From 1
     * to {@value LoadAgents#MAX_AGENTS}, that many agents, each a JVM of its own started as a
     * workload ({@link LoadAgent}), send every N-th request of every phase's schedule from a start
     * time common to all, which waits for the slowest agent to be ready. Each writes HdrHistogram
     * interval logs, which are merged into this test's {@code Recorder} before thresholds and
     * assertions see them: the merged percentiles are those of every request of every agent, from
     * its intended start. An agent that dies, starts after the common start or falls behind its
     * schedule fails the run with the reason.
     *
     * <p>For open-model profiles of fixed schedule: {@link #spike()}, {@link #soak()} and
     * {@link #ramp()}, against a {@link #service()} or an {@link Http#url()}; where they run is
     * {@link #agentRuntime()}.
     *
     * @since 0.2
     */
    int agents() default 0;

    /**
     * Where {@link #agents()} run: {@code "process"} (the default), JVMs of this machine, the
     * cheapest to start; or {@code "docker"}, containers of the configured engine, local or remote
     * ({@code DOCKER_HOST}), each running this JVM's class path, copied in, with the image's
     * {@code java} ({@code dyno.docker.image}).
     *
     * @since 0.2
     */
    String agentRuntime() default "process";

    /**
     * What counts the service's replicas over time. The default counts running workloads of the
     * service's runtime carrying the label {@code app=<service>}; a class of your own (public,
     * no-argument constructor) can read a Kubernetes Deployment instead.
     */
    Class<? extends ScalingObserver> scaling() default ScalingObserver.class;

    /**
     * An HTTP request, or a weighted mix of them ({@link #requests()}). With
     * {@link LoadProfile#service()}, {@link #path()} is sent to the port of the service's HTTP
     * readiness probe; without it, {@link #url()} names the target, any host, over {@code http} or
     * {@code https}.
     *
     * <pre>{@code
     * http = @Http(url = "https://staging.example.test/api",
     *         headers = "Authorization: Bearer ${env:STAGING_TOKEN}",          // never written anywhere
     *         feed = @Feed(file = "src/test/resources/items.csv"),            // fills {id}
     *         requests = {
     *             @Request(name = "items", weight = 70, path = "/api/items/{id}",
     *                     checks = @Check(jsonPointer = "/status", equalTo = "in-stock")),
     *             @Request(name = "orders", weight = 30, method = "POST", path = "/api/orders",
     *                     body = "{\"item\":\"{id}\",\"quantity\":1}", expectStatus = 201)})
     * }</pre>
     *
     * <h2>Templates and secrets</h2>
     * {@code path}, header values and {@code body} may hold {@code {name}}, filled from a column of
     * {@link #feed()}, and {@code ${env:NAME}}, filled from the environment variable {@code NAME}.
     * Every description, report attribute and console line shows the template, never the value; a
     * value of an environment variable that comes back in an answer is masked as {@code ***} in the
     * check failures kept for the report. Each request is rendered once per row before the run, so
     * templating costs nothing while load is sent.
     *
     * <h2>Host, address and TLS</h2>
     * The host of {@link #url()} is resolved once per run; {@link #resolve()} (or the configuration
     * key {@value LoadProfile#RESOLVE_PROPERTY}) sends it to an address of your choice while the
     * {@code Host} header, SNI and the certificate check still use the name. HTTPS trusts the JDK's
     * trust store unless the {@code dyno.load.tls.*} keys name others.
     *
     * @since 0.1
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Http {
        /** GET, POST, PUT, PATCH, DELETE or HEAD; with {@link #requests()}, each request says its own. */
        String method() default "GET";

        /** The path (and query) on the service, such as {@code "/generate"}; a template. */
        String path() default "/";

        /**
         * A complete URL instead of a service, {@code http://} or {@code https://}, any host by name
         * or address, such as {@code "https://staging.example.test:8443/health"}.
         */
        String url() default "";

        /** Headers as {@code "Name: value"}, sent with every request of the mix too; values are templates. */
        String[] headers() default {};

        /** The body, sent as UTF-8 ({@code application/json} unless a Content-Type header says otherwise); a template. */
        String body() default "";

        /** How long to wait for a connection and for each read of the answer. */
        String timeout() default "30s";

        /** The status codes that count as success. */
        int[] expectStatus() default {200};

        /** The most connections to keep open (one request per connection at a time). */
        int connections() default 256;

        /**
         * Addresses to use instead of resolving, as curl's {@code --resolve}: {@code "HOST:PORT:ADDRESS"},
         * such as {@code "staging.example.test:443:127.0.0.1"} or {@code "api.example.test:8443:[::1]"}.
         * Added to the configuration key {@value LoadProfile#RESOLVE_PROPERTY}; this attribute wins for
         * the same host and port.
         *
         * @since 0.2
         */
        String[] resolve() default {};

        /**
         * Accepts any certificate and any host name: for a staging service with a self-signed
         * certificate only. Loudly reported: a warning line on the console and the attribute
         * {@code load.tls.insecure} in the report. The key {@value LoadProfile#TLS_INSECURE_PROPERTY}
         * does the same.
         *
         * @since 0.2
         */
        boolean insecure() default false;

        /**
         * Several kinds of request, chosen by weight for each request sent, each recorded under its
         * own name as well as in the phase: timer {@code <phase>.<name>.latency}, counters
         * {@code <phase>.<name>.ok} and {@code .failed}. Empty (the default): the one request of
         * {@link #method()}, {@link #path()} and {@link #body()}.
         *
         * @since 0.2
         */
        Request[] requests() default {};

        /** Values for the {@code {name}} templates; none by default. @since 0.2 */
        Feed feed() default @Feed;

        /** Checks of every answer beyond its status; a failed one is {@link Outcome#CHECK_FAILED}. @since 0.2 */
        Check[] checks() default {};
    }

    /**
     * One kind of request of a mix ({@link Http#requests()}), sent on {@link Http#url()} or the
     * service's port with {@link Http#headers()} and {@link Http#checks()} too.
     *
     * @since 0.2
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Request {
        /** The name in metrics and reports, such as {@code "items"}: a letter, then letters, digits, '_' or '-'. */
        String name();

        /** The share of requests, relative to the other requests' weights (1 to 1000). */
        int weight() default 1;

        String method() default "GET";

        /** The path and query, a template such as {@code "/items/{id}"}. */
        String path() default "/";

        /** Headers of this kind, added to {@link Http#headers()}; values are templates. */
        String[] headers() default {};

        /** The body, a template. */
        String body() default "";

        /** The status codes that count as success; empty (the default) uses {@link Http#expectStatus()}. */
        int[] expectStatus() default {};

        /** Checks of this kind's answers, besides {@link Http#checks()}. */
        Check[] checks() default {};
    }

    /**
     * Where the values of {@code {name}} templates come from, one row per request, in the manner of
     * Gatling's feeders: a CSV file with a header row, a JSON-lines file (one object a line), or a
     * static method of the test class returning a {@code List} or {@code Stream} of {@code Map}s.
     * Rows are used in turn and from the start again when all were used ({@code circular}, the
     * default), or at random. At most {@value #MAX_ROWS} rows.
     *
     * @since 0.2
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Feed {
        /** The most rows a feed may have. */
        int MAX_ROWS = 100_000;

        /** A {@code .csv} or {@code .jsonl} file, relative to the working directory. */
        String file() default "";

        /** The name of a static method of the test class, without parameters. */
        String method() default "";

        /** {@code circular} (the default) or {@code random}. */
        String order() default "circular";
    }

    /**
     * One check of an answer beyond its status: exactly one of {@link #bodyContains()},
     * {@link #bodyMatches()}, {@link #jsonPointer()} (with {@link #equalTo()}) or {@link #header()}.
     * The first {@value #EXAMPLES} failed answers are kept for the report (which check, the status
     * and what came back, truncated).
     *
     * @since 0.2
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Check {
        /** How many failed answers a run keeps as examples. */
        int EXAMPLES = 5;

        /** Text the body must contain. */
        String bodyContains() default "";

        /** A regular expression found somewhere in the body. */
        String bodyMatches() default "";

        /** A JSON Pointer into a JSON body, such as {@code "/status"}, whose value must be {@link #equalTo()}. */
        String jsonPointer() default "";

        /** The expected value at {@link #jsonPointer()}, as text ({@code "ok"}, {@code "3"}, {@code "true"}). */
        String equalTo() default "";

        /** A header the answer must have. */
        String header() default "";
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
