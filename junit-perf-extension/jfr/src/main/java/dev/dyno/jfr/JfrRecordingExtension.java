package dev.dyno.jfr;

import dev.dyno.Perf;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Recorder;
import dev.dyno.spi.PerfContext;
import java.io.IOException;
import java.lang.reflect.Method;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import jdk.jfr.Configuration;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.support.TypeBasedParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Records a {@link JfrRecording} test's JVM around the method invocation only: the interceptor
 * wraps exactly the call, so {@code @BeforeEach} work stays out, and it ends before
 * {@code PerfTestExtension} checks the thresholds, whichever order the annotations are in.
 */
class JfrRecordingExtension extends TypeBasedParameterResolver<JfrEvents>
        implements BeforeEachCallback, InvocationInterceptor {

    private static final Namespace NAMESPACE = Namespace.create(JfrRecordingExtension.class);
    private static final String SESSION = "session";

    @Override
    public void beforeEach(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        Optional<JfrRecording> onMethod = AnnotationSupport.findAnnotation(method, JfrRecording.class);
        // @PerfTest carries @Perf, so this finds both, and @Perf beside a @ParameterizedTest or @RepeatedTest
        boolean perfTest = AnnotationSupport.isAnnotated(method, Perf.class);
        if (onMethod.isPresent() && !perfTest) {
            throw new ExtensionConfigurationException("@JfrRecording on " + method.getName()
                    + ", which is not a perf test: annotate it with @PerfTest (or @Perf on a template) too");
        }
        if (!perfTest) {
            return; // @JfrRecording on the class records its @PerfTest methods only
        }
        JfrRecording annotation = onMethod.or(() -> AnnotationSupport.findAnnotation(context.getRequiredTestClass(),
                JfrRecording.class)).orElseThrow();
        Map<String, String> settings = settings(annotation);
        Sides.validate(annotation.compare());
        DynoConfiguration configuration = DynoConfiguration.of(context);
        JfrSession.FlameGraphMode flameGraphs = JfrSession.FlameGraphMode.valueOf(
                configuration.jfrFlameGraphs().replace('-', '_').toUpperCase(Locale.ROOT));
        String baseName = (context.getRequiredTestClass().getSimpleName() + "." + method.getName())
                .replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + String.format("%08x", context.getUniqueId().hashCode());
        context.getStore(NAMESPACE).put(SESSION, new JfrSession(settings, annotation.allocationProfile(), annotation.compare(), flameGraphs,
                configuration.resultsDirectory().resolve("jfr"), baseName));
    }

    /** The named configuration with what the metrics need, and the annotation's events in full. */
    static Map<String, String> settings(JfrRecording annotation) {
        Map<String, String> settings;
        try {
            settings = new HashMap<>(Configuration.getConfiguration(annotation.settings()).getSettings());
        } catch (IOException | ParseException e) {
            throw new ExtensionConfigurationException("@JfrRecording(settings) value \"" + annotation.settings()
                    + "\" is not a JFR configuration of this JDK: allowed are " + Configuration.getConfigurations()
                    .stream().map(Configuration::getName).sorted().toList());
        }
        for (String type : annotation.events()) {
            String unknown = EventTypes.unknown(type);
            if (unknown != null) {
                throw new ExtensionConfigurationException("@JfrRecording(events) value " + unknown);
            }
            settings.put(type + "#enabled", "true");
            settings.put(type + "#threshold", "0 ms");
            settings.put(type + "#stackTrace", "true");
        }
        settings.put("jdk.Compilation#enabled", "true");
        settings.put("jdk.Compilation#threshold", "0 ms");
        settings.put("jdk.ClassLoadingStatistics#enabled", "true");
        settings.put("jdk.ClassLoadingStatistics#period", "everyChunk");
        settings.put("jdk.ThreadAllocationStatistics#enabled", "true");
        settings.put("jdk.ThreadAllocationStatistics#period", "everyChunk");
        settings.put("jdk.CPULoad#enabled", "true");
        settings.put("jdk.CPULoad#period", "100 ms");
        for (String type : new String[] {"jdk.GarbageCollection", "jdk.GCPhasePause", "jdk.SafepointBegin",
                "jdk.JavaMonitorEnter", "jdk.ExecutionSample"}) {
            settings.put(type + "#enabled", "true");
        }
        return settings;
    }

    @Override
    public JfrEvents resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        JfrSession session = context.getStore(NAMESPACE).get(SESSION, JfrSession.class);
        if (session == null) {
            throw new ParameterResolutionException("JfrEvents can only be injected into a @PerfTest method with"
                    + " @JfrRecording, not into " + parameterContext.getDeclaringExecutable());
        }
        return session.events();
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        JfrSession session = context.getStore(NAMESPACE).get(SESSION, JfrSession.class);
        if (session == null) {
            invocation.proceed();
            return;
        }
        Recorder recorder = PerfContext.recorder(context);
        // the flame graphs wait for the outcome: by default only a failure or a breached threshold gets them
        PerfContext.onOutcome(context, outcome -> session.report(outcome, recorder));
        session.start();
        try {
            invocation.proceed();
        } finally {
            session.stop(recorder);
        }
        session.refuseUnmatchedCompare();
    }
}
