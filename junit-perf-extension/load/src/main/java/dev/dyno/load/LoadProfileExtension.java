package dev.dyno.load;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.config.RunMode;
import dev.dyno.load.LoadPlan.MethodTarget;
import dev.dyno.load.LoadPlan.ServiceTarget;
import dev.dyno.load.LoadPlan.UrlTarget;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.Runtimes;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import dev.dyno.spi.Capability;
import dev.dyno.spi.CapabilityExtension;
import dev.dyno.spi.InterruptHeld;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.AssertionFailedError;

/**
 * Validates a {@link LoadProfile} before anything starts, then starts the service, runs the
 * profile and stops the service before the test method runs, which gets the {@link LoadRun}.
 */
class LoadProfileExtension extends CapabilityExtension<LoadProfile, LoadPlan, LoadRun> {

    LoadProfileExtension() {
        super(LoadProfile.class, LoadRun.class);
    }

    @Override
    protected LoadPlan validate(LoadProfile annotation, Capability capability) {
        DynoConfiguration configuration = capability.configuration();
        LoadPlan plan = LoadPlan.of(annotation, scale(configuration, annotation),
                capability.extensionContext().getRequiredTestClass());
        capability.expect("thresholds", annotation.thresholds());
        if (plan.target() instanceof ServiceTarget service) {
            serviceSpec(service);
        }
        scalingObserverClass(annotation);
        if (plan.target() instanceof UrlTarget url && "https".equals(url.url().getScheme())) {
            // Trust and key stores are opened now, so that a bad file or password fails before anything starts.
            HttpTls.of(configuration, plan.http().insecure());
        }
        return plan;
    }

    @Override
    protected LoadRun run(LoadPlan plan, Capability capability) throws Exception {
        LoadProfile annotation = AnnotationSupport.findAnnotation(capability.extensionContext().getRequiredTestMethod(),
                LoadProfile.class).orElseThrow();
        Recorder recorder = capability.recorder();
        DynoConfiguration configuration = capability.configuration();
        // What is started here is stopped when the profile has run, so that the method asserts on a
        // quiet machine; and, should anything throw, when the test ends.
        Resources resources = capability.closeWithTest(new Resources());
        try {
            if (plan.scale() != 1) {
                recorder.attribute("load.scale", String.valueOf(plan.scale()));
            }
            if (plan.agents() > 0) {
                return runWithAgents(plan, capability, resources);
            }
            RunningWorkload workload = null;
            WorkloadRuntime runtime = null;
            LoadTarget target;
            int ioThreads = HttpTarget.ioThreads(configuration);
            if (plan.target() instanceof ServiceTarget service) {
                StartedService started = startService(service, configuration, recorder, resources);
                runtime = started.runtime();
                workload = started.workload();
                target = resources.add(new HttpTarget(started.uri(), plan.http(), resolveRules(plan, configuration), null,
                        ioThreads));
            } else if (plan.target() instanceof UrlTarget url) {
                HttpTls tls = "https".equals(url.url().getScheme()) ? HttpTls.of(configuration, plan.http().insecure()) : null;
                target = resources.add(new HttpTarget(url.url(), plan.http(), resolveRules(plan, configuration), tls,
                        ioThreads));
            } else {
                MethodTarget method = (MethodTarget) plan.target();
                Object made = ReflectionSupport.invokeMethod(method.method(),
                        capability.extensionContext().getTestInstance().orElse(null));
                if (made == null) {
                    throw LoadPlan.bad("target", method.method().getName(), "a method that returns a LoadTarget, not null");
                }
                target = resources.add((LoadTarget) made);
            }
            ScalingObserver observer = resources.add(observer(annotation, runtime));
            recorder.attribute("load.service", plan.target() instanceof ServiceTarget s ? s.service() : target.description());
            LoadGenerator.Settings settings = LoadGenerator.Settings.DEFAULT.withMaxInFlight(plan.maxInFlight())
                    .withLateAfter(plan.lateAfter()).withDrainTimeout(plan.drain()).withTick(tick(plan));
            LoadGenerator generator = resources.add(new LoadGenerator(target, recorder, settings));
            ResourceTracker tracker = resources.add(new ResourceTracker(workload, observer, recorder,
                    () -> generator.current() == null ? "-" : generator.current().name(), Duration.ofSeconds(1)));
            String prefix = "[dyno] " + capability.extensionContext().getRequiredTestMethod().getName() + ": ";
            Consumer<String> console = line -> System.out.println(prefix + line);
            console.accept(plan.profile().kind() + " profile against " + target.description());
            HttpTarget http = target instanceof HttpTarget h ? h : null;
            if (http != null) {
                announce(http, plan, recorder, console);
            }
            LoadRun run = new LoadExperiment(plan, generator, recorder, tracker, console).run(target.description());
            if (http != null) {
                run = run.withHttp(http.checkFailures(), http.checkFailureCount(), List.of(http.traffic()));
                describeTraffic(http, recorder, console);
            }
            return run;
        } finally {
            closeEvenIfInterrupted(resources);
        }
    }

    /**
     * {@code @LoadProfile(agents = N)}: the service (if any) starts here, the agents on the runtime
     * the configuration picks for a Java program of this class path, and the load is theirs.
     */
    private static LoadRun runWithAgents(LoadPlan plan, Capability capability, Resources resources) throws Exception {
        Recorder recorder = capability.recorder();
        DynoConfiguration configuration = capability.configuration();
        Method method = capability.extensionContext().getRequiredTestMethod();
        Consumer<String> console = line -> System.out.println("[dyno] " + method.getName() + ": " + line);
        URI uri;
        String description;
        ResourceTracker tracker = null;
        if (plan.target() instanceof ServiceTarget service) {
            StartedService started = startService(service, configuration, recorder, resources);
            uri = started.uri();
            description = HttpRequestFactory.describe(plan.http(), origin(uri));
            recorder.attribute("load.service", service.service());
            tracker = resources.add(new ResourceTracker(started.workload(), null, recorder, () -> "-", Duration.ofSeconds(1)));
        } else {
            uri = ((UrlTarget) plan.target()).url();
            description = HttpRequestFactory.describe(plan.http(), origin(uri));
            recorder.attribute("load.service", description);
        }
        WorkloadRuntime agents = resources.add(Runtimes.open(configuration.with(DynoConfiguration.RUNTIME_PROPERTY,
                plan.agentRuntime())));
        return LoadAgents.run(plan, uri, description, method, configuration, agents, tracker, recorder, console);
    }

    /** A {@code @LoadProfile(service)} started, with its runtime and where its HTTP port answers. */
    private record StartedService(WorkloadRuntime runtime, RunningWorkload workload, URI uri) {
    }

    /** Starts the service on the runtime the configuration picks for it, and reports where it runs. */
    private static StartedService startService(ServiceTarget service, DynoConfiguration configuration, Recorder recorder,
            Resources resources) {
        WorkloadSpec spec = serviceSpec(service);
        WorkloadRuntime runtime = resources.add(openRuntime(configuration, spec, "service", service.service()));
        recorder.attribute("load.service.where", runtime.where());
        RunningWorkload workload = runtime.start(spec);
        int port = ((Readiness.Http) spec.readiness()).port();
        return new StartedService(runtime, workload, workload.endpoint(port).uri("http", "/"));
    }

    /** Scheme and authority, as {@link HttpTarget} describes its origin. */
    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    /**
     * Writes the report, then fails a run that {@code abortOnFail} stopped: its numbers are
     * reported, but the method's assertions would judge a run that did not finish.
     */
    @Override
    protected void report(LoadRun run, Capability capability) {
        LoadReport.write(run, capability.recorder());
        if (run.abortReason().isPresent()) {
            throw new AssertionFailedError("@LoadProfile(abortOnFail) stopped the run: " + run.abortReason().get());
        }
    }

    /**
     * Stops the service and the generator now, even when the test's timeout has interrupted this
     * thread: a process runtime waits for its processes to end, which an interrupted thread cannot.
     * The interrupt is kept for the lifecycle, which then skips the method and lets JUnit report the timeout.
     */
    private static void closeEvenIfInterrupted(Resources resources) {
        InterruptHeld.run(resources::close);
    }

    /** The workload of {@code @LoadProfile(service)}, which must say which port to load by its HTTP readiness probe. */
    private static WorkloadSpec serviceSpec(ServiceTarget service) {
        WorkloadSpec spec = WorkloadCatalog.require("@LoadProfile(service)", service.service());
        if (!(spec.readiness() instanceof Readiness.Http)) {
            throw LoadPlan.bad("service", service.service(), "a workload with an HTTP readiness probe"
                    + " (Readiness.http(...)), which tells Dyno the port to load; this one is ready on " + spec.readiness());
        }
        if (!spec.labels().containsKey(ScalingObserver.APP_LABEL)) {
            spec = spec.withLabel(ScalingObserver.APP_LABEL, service.service());
        }
        return spec;
    }

    /** Annotation rules first, so that they win over the configuration's for the same host and port. */
    static List<HttpPlan.ResolveRule> resolveRules(LoadPlan plan, DynoConfiguration configuration) {
        List<HttpPlan.ResolveRule> rules = new ArrayList<>(plan.http().resolve());
        configuration.loadResolve().forEach(r -> rules.add(HttpPlan.ResolveRule.parse(r,
                DynoConfiguration.LOAD_RESOLVE_PROPERTY)));
        return rules;
    }

    /** Where the load goes and how it is secured, before it is sent: the console and the report. */
    private static void announce(HttpTarget http, LoadPlan plan, Recorder recorder, Consumer<String> console) {
        console.accept("host " + http.host() + " → " + http.addresses());
        recorder.attribute("load.http.host", http.host());
        recorder.attribute("load.http.addresses", http.addresses());
        http.tls().ifPresent(tls -> {
            recorder.attribute("load.tls", tls.description());
            if (tls.insecure()) {
                recorder.attribute("load.tls.insecure", "true: certificates and host names were NOT checked");
                console.accept("WARNING: TLS is insecure: any certificate and any host name is accepted ("
                        + tls.description() + "); never measure a production service this way");
            } else {
                console.accept("TLS trusts " + tls.description());
            }
        });
        if (!plan.http().feedDescription().isEmpty()) {
            recorder.attribute("load.http.feed", plan.http().feedDescription() + " (" + plan.http().rows().size()
                    + " rows, " + (plan.http().randomRows() ? "random" : "circular") + ")");
        }
    }

    /**
     * Where the load went and the TLS the server chose: known only to the target, before it is
     * closed. The answers that failed a check are in the {@link LoadRun}, and reported with it.
     */
    private static void describeTraffic(HttpTarget http, Recorder recorder, Consumer<String> console) {
        console.accept("traffic: " + http.traffic());
        recorder.attribute("load.http.traffic", http.traffic());
        if (http.negotiated() != null) {
            recorder.attribute("load.tls.negotiated", http.negotiated());
        }
        if (http.checkFailureCount() > 0) {
            console.accept(http.checkFailureCount() + " answers failed a check; first: " + http.checkFailures().get(0));
        }
    }

    static Duration tick(LoadPlan plan) {
        if (plan.profile() instanceof LoadPlan.SoakPlan soak && soak.window().toMillis() < 4000) {
            return Duration.ofMillis(Math.max(50, soak.window().toMillis() / 4));
        }
        return Duration.ofSeconds(1);
    }

    static double scale(DynoConfiguration configuration, LoadProfile annotation) {
        if (configuration.loadScale().isPresent()) {
            return configuration.loadScale().getAsDouble();
        }
        if (!(annotation.ciScale() >= 0.001 && annotation.ciScale() <= 1)) {
            throw LoadPlan.bad("ciScale", annotation.ciScale(), "a factor from 0.001 to 1, such as 0.1");
        }
        return configuration.mode() == RunMode.CI ? annotation.ciScale() : 1.0;
    }

    /** The configuration's runtime for {@code spec}, or the error naming {@code attribute} and its {@code value}. */
    private static WorkloadRuntime openRuntime(DynoConfiguration configuration, WorkloadSpec spec, String attribute,
            Object value) {
        String choice = configuration.runtime();
        // The automatic choice falls back to local processes for what Docker cannot run, such as
        // ofJavaMain's command, which needs this machine's class path.
        boolean auto = DynoConfiguration.DEFAULT_RUNTIME.equals(choice);
        WorkloadRuntime runtime = Runtimes.open(configuration);
        if (!runtime.supports(spec) && auto) {
            runtime.close();
            runtime = Runtimes.open(configuration.with(DynoConfiguration.RUNTIME_PROPERTY, "process"));
        }
        if (!runtime.supports(spec)) {
            String why = runtime.unsupportedReason(spec).orElse("");
            runtime.close();
            throw LoadPlan.bad(attribute, value, "a workload the " + choice + " runtime can run: " + why);
        }
        return runtime;
    }

    private static Class<? extends ScalingObserver> scalingObserverClass(LoadProfile annotation) {
        Class<? extends ScalingObserver> type = annotation.scaling();
        if (type != ScalingObserver.class) {
            try {
                type.getConstructor();
            } catch (NoSuchMethodException e) {
                throw LoadPlan.bad("scaling", type.getName(), "a class with a public no-argument constructor");
            }
        }
        return type;
    }

    private static ScalingObserver observer(LoadProfile annotation, WorkloadRuntime runtime) throws Exception {
        Class<? extends ScalingObserver> type = scalingObserverClass(annotation);
        if (type == ScalingObserver.class) {
            return runtime == null ? null : ScalingObserver.labelled(runtime, ScalingObserver.APP_LABEL, annotation.service().strip());
        }
        return type.getConstructor().newInstance();
    }

    /** What one run opened, closed last-opened first; closing twice does nothing. */
    static final class Resources implements AutoCloseable {
        private final Deque<AutoCloseable> open = new ArrayDeque<>();

        synchronized <T extends AutoCloseable> T add(T resource) {
            if (resource != null) {
                open.push(resource);
            }
            return resource;
        }

        @Override
        public synchronized void close() {
            RuntimeException first = null;
            while (!open.isEmpty()) {
                try {
                    open.pop().close();
                } catch (Exception e) {
                    first = first == null ? new IllegalStateException("could not close a load resource: " + e, e) : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
