package dev.dyno;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.TimerSnapshot;
import dev.dyno.spi.PerfRun;
import dev.dyno.view.Attachment;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * Collects one point per invocation of a {@link GrowthCurve} template into a {@link GrowthCurvePoints}
 * held in the template's store, so it lives exactly as long as the template: JUnit closes it after
 * the last invocation, and that is when the curve is written and its slope checked.
 *
 * <p>{@code @GrowthCurve} carries {@code @Perf} ahead of this extension, so {@code PerfTestExtension}
 * is registered first and its {@code afterTestExecution}, which takes the snapshot for the report,
 * runs after this one's: the chart added here is in the invocation's report.
 */
class GrowthCurveExtension implements BeforeEachCallback, AfterTestExecutionCallback {

    private static final Namespace NAMESPACE = Namespace.create(GrowthCurveExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        GrowthCurve annotation = AnnotationSupport.findAnnotation(method, GrowthCurve.class).orElseThrow(() ->
                new ExtensionConfigurationException(method + " is not annotated with @GrowthCurve"));
        validate(annotation, method);
        template(context).getStore(NAMESPACE).getOrComputeIfAbsent(GrowthCurvePoints.class,
                key -> new GrowthCurvePoints(annotation, context.getRequiredTestClass().getName(), method.getName(),
                        template(context).getUniqueId(), DynoConfiguration.of(context)), GrowthCurvePoints.class);
    }

    static void validate(GrowthCurve annotation, Method method) {
        if (!AnnotationSupport.isAnnotated(method, TestTemplate.class)) {
            throw new ExtensionConfigurationException("@GrowthCurve on " + method.getName() + " needs invocations "
                    + "of several sizes: put it on a @ParameterizedTest (or another @TestTemplate), not a single test");
        }
        if (annotation.metric().isBlank()) {
            throw new ExtensionConfigurationException("@GrowthCurve(metric) value \"" + annotation.metric()
                    + "\" is blank: name the timer that measures the work, such as \"sort\"");
        }
        if (annotation.size().isBlank()) {
            throw new ExtensionConfigurationException("@GrowthCurve(size) value \"" + annotation.size()
                    + "\" is blank: name the recorder attribute that holds the size, such as \"n\"");
        }
        if (Double.isNaN(annotation.minSlope()) || Double.isNaN(annotation.maxSlope())
                || annotation.minSlope() >= annotation.maxSlope()) {
            throw new ExtensionConfigurationException("@GrowthCurve(minSlope) value " + annotation.minSlope()
                    + " and @GrowthCurve(maxSlope) value " + annotation.maxSlope()
                    + " allow no slope: minSlope must be below maxSlope, such as minSlope = 0.8, maxSlope = 1.5");
        }
    }

    /** The context whose store lives as long as all invocations: the template's. */
    private static ExtensionContext template(ExtensionContext invocation) {
        return invocation.getParent().orElseThrow();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        GrowthCurvePoints curve = template(context).getStore(NAMESPACE).get(GrowthCurvePoints.class,
                GrowthCurvePoints.class);
        PerfRun run = PerfRun.of(context).orElse(null);
        if (curve == null || run == null) {
            return;
        }
        String invocation = context.getDisplayName();
        Optional<Throwable> failure = context.getExecutionException();
        if (failure.isPresent()) {
            curve.notMeasured(invocation, (failure.get() instanceof TestAbortedException ? "aborted: " : "failed: ")
                    + failure.get().getMessage());
            return;
        }
        Recorder recorder = run.recorder();
        MetricsSnapshot snapshot = recorder.snapshot();
        GrowthCurve annotation = curve.annotation();
        String sizeText = snapshot.attributes().get(annotation.size());
        double size = parseSize(sizeText);
        if (!(size > 0) || Double.isInfinite(size)) {
            curve.notMeasured(invocation, "no size");
            throw new ExtensionConfigurationException("@GrowthCurve(size) value \"" + annotation.size() + "\": "
                    + invocation + (sizeText == null ? " recorded no attribute '" + annotation.size() + "' (it recorded "
                    + snapshot.attributes().keySet() + "); call recorder.attribute(\"" + annotation.size()
                    + "\", size)" : " recorded '" + annotation.size() + "' = \"" + sizeText
                    + "\", which is not a positive number"));
        }
        TimerSnapshot timer = snapshot.timer(annotation.metric()).filter(t -> t.count() > 0).orElse(null);
        if (timer == null) {
            curve.notMeasured(invocation, "no values");
            throw new ExtensionConfigurationException("@GrowthCurve(metric) value \"" + annotation.metric() + "\": "
                    + invocation + " recorded no values in the timer '" + annotation.metric() + "' (timers: "
                    + snapshot.timers().keySet() + ")");
        }
        curve.add(invocation, size, timer);
        if (curve.sizes() >= 2) {
            recorder.chart(curve.chart());
            recorder.attach(Attachment.text(curve.title() + " (sizes so far)", "text/csv", ".csv", curve.csv()));
        }
    }

    private static double parseSize(String text) {
        try {
            return text == null ? Double.NaN : Double.parseDouble(text.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
