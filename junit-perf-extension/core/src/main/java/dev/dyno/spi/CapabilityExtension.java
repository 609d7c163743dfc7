package dev.dyno.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.view.Step;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The lifecycle of every capability, written once: <b>validate</b> the annotation before anything
 * is provisioned, then <b>run</b> the experiment (provisioning what it needs and registering it to
 * be closed), <b>report</b> it into the recorder, hand the result to the test method, and
 * <b>tear down</b> when the test ends, however it ends.
 *
 * <p>A capability is an annotation meta-annotated with {@code @PerfTest} and, after it,
 * {@code @ExtendWith(YourExtension.class)}, where {@code YourExtension} extends this class:
 *
 * <pre>{@code
 * @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
 * @Retention(RetentionPolicy.RUNTIME)
 * @PerfTest
 * @ExtendWith(DiskWriteExtension.class)
 * public @interface DiskWrite { int[] blockSizesKb() default {4, 64, 1024}; String[] thresholds() default {}; }
 *
 * class DiskWriteExtension extends CapabilityExtension<DiskWrite, DiskWritePlan, DiskWriteRun> {
 *     DiskWriteExtension() { super(DiskWrite.class, DiskWriteRun.class); }
 *     protected DiskWritePlan validate(DiskWrite annotation, Capability capability) { ... }
 *     protected DiskWriteRun run(DiskWritePlan plan, Capability capability) throws Exception { ... }
 *     protected void report(DiskWriteRun run, Capability capability) { ... }
 * }
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ol>
 * <li><b>validate</b> runs in {@code beforeEach}, after {@code @PerfTest}'s extension has started the
 *     test's run. It checks every attribute and the machine, and returns the plan. Bad input throws
 *     an {@link ExtensionConfigurationException} naming the attribute, the value and what is
 *     allowed; a missing prerequisite skips with {@link Capability#abort}. Thresholds are added here
 *     ({@link Capability#expect}). Nothing is started.</li>
 * <li><b>run</b> runs on the test's thread, inside the test method's invocation, so JUnit's
 *     {@code @Timeout} and {@code junit.jupiter.execution.timeout.default} cover it. It provisions,
 *     registers everything that must be stopped with {@link Capability#closeWithTest} as soon as it
 *     exists, and measures. At the timeout JUnit interrupts the thread: {@code run} stops its work
 *     (an interrupted sleep, an {@link java.nio.channels.ClosedByInterruptException}, a check of
 *     {@link Thread#isInterrupted()} between iterations), leaves the interrupt flag set, and returns
 *     what it measured so far. An exception from {@code run} fails the test; it is recorded as a
 *     failed step and {@code report} is not called.</li>
 * <li><b>report</b> runs when {@code run} returned, the interrupted case included, and records the
 *     result into {@link Capability#recorder()}: metrics for thresholds, and
 *     {@link dev.dyno.view.Chart charts}, {@link dev.dyno.view.Attachment attachments} and
 *     {@link dev.dyno.view.Step steps} for the reports. A step {@code "@Annotation run"} with the
 *     run's real start and duration is recorded for you.</li>
 * <li>The test method is then invoked with the result in place of its parameter of type
 *     {@code R} (other parameters, such as the {@code Recorder}, resolve as usual), unless the run
 *     was interrupted: then the method is not invoked, the reports show what was measured, and the
 *     test fails with JUnit's timeout.</li>
 * <li><b>tear down</b>: after the thresholds are checked and the reports written, what was
 *     registered with {@link Capability#closeWithTest} is closed.</li>
 * </ol>
 *
 * <p>JUnit makes one instance of the extension for many tests, possibly at once: keep no state in
 * its fields; the plan and the result carry it. The result type {@code R} should be a type of the
 * capability's own, so that no other resolver claims the parameter.
 *
 * <p>Testing a capability: run small test classes that use it with JUnit's {@code EngineTestKit}
 * and assert on their events (a configuration error, a skip with its reason, a timeout) and on the
 * results file that {@code dyno.results.dir} receives.
 *
 * @param <A> the capability's annotation
 * @param <P> the plan: the annotation checked and resolved, ready to run
 * @param <R> the result, which a test method receives as a parameter of that type
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public abstract class CapabilityExtension<A extends Annotation, P, R>
        implements BeforeEachCallback, ParameterResolver, InvocationInterceptor {

    private static final String PLAN = "plan";
    private final Class<A> annotationType;
    private final Class<R> resultType;
    private final Namespace namespace;

    protected CapabilityExtension(Class<A> annotationType, Class<R> resultType) {
        this.annotationType = annotationType;
        this.resultType = resultType;
        this.namespace = Namespace.create(CapabilityExtension.class, annotationType);
    }

    /**
     * Checks every attribute and the environment, and returns the plan (which may be the
     * annotation itself). Nothing is started here: bad input fails with an
     * {@link ExtensionConfigurationException} that names the attribute, the value and what is
     * allowed; a missing prerequisite skips with {@link Capability#abort}.
     */
    protected abstract P validate(A annotation, Capability capability);

    /**
     * Provisions and runs the experiment, registering what must be stopped with
     * {@link Capability#closeWithTest} as soon as it exists. On interruption (the test's timeout),
     * stops, keeps the thread's interrupt flag set, and returns what was measured so far.
     */
    protected abstract R run(P plan, Capability capability) throws Exception;

    /**
     * Records the result into the recorder: metrics, tables, charts, attachments, steps. Called
     * for a partial result too (the run was interrupted). Nothing by default.
     */
    protected void report(R result, Capability capability) {
    }

    @Override
    public final void beforeEach(ExtensionContext context) {
        A annotation = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), annotationType)
                .orElseThrow(() -> new ExtensionConfigurationException(context.getRequiredTestMethod()
                        + " is not annotated with @" + annotationType.getSimpleName()));
        P plan = validate(annotation, capability(context));
        context.getStore(namespace).put(PLAN, new Holder<>(plan));
    }

    @Override
    public final boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
        // Only on a method this capability runs for: elsewhere nothing would ever fill the parameter.
        return parameterContext.getParameter().getType() == resultType
                && parameterContext.getDeclaringExecutable() instanceof Method method
                && AnnotationSupport.isAnnotated(method, annotationType);
    }

    /**
     * The result does not exist yet when JUnit resolves parameters: it is made inside the method's
     * invocation, under its timeout, and put in this parameter's place there.
     */
    @Override
    public final Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        return null;
    }

    @Override
    public final void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        runThenInvoke(invocation, invocationContext, context);
    }

    @Override
    public final void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        runThenInvoke(invocation, invocationContext, context);
    }

    private void runThenInvoke(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        @SuppressWarnings("unchecked")
        Holder<P> plan = context.getStore(namespace).get(PLAN, Holder.class);
        if (plan == null) {
            invocation.proceed();
            return;
        }
        Capability capability = capability(context);
        Instant start = Instant.now();
        R result;
        try {
            result = run(plan.value(), capability);
        } catch (Throwable e) {
            capability.recorder().step(Step.endingNow("@" + annotationType.getSimpleName() + " run", start, false,
                    Map.of("error", String.valueOf(e))));
            throw e;
        }
        capability.recorder().step(Step.endingNow("@" + annotationType.getSimpleName() + " run", start, true, Map.of()));
        report(result, capability);
        if (Thread.currentThread().isInterrupted()) {
            // the test's timeout: what was measured is reported; JUnit fails the test with its TimeoutException
            invocation.skip();
            return;
        }
        Method method = invocationContext.getExecutable();
        List<Object> arguments = invocationContext.getArguments();
        Object[] withResult = arguments.toArray();
        Parameter[] parameters = method.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].getType() == resultType) {
                withResult[i] = result;
            }
        }
        invocation.skip();
        ReflectionSupport.invokeMethod(method, invocationContext.getTarget().orElse(null), withResult);
    }

    private Capability capability(ExtensionContext context) {
        return new Capability(context, annotationType.getSimpleName());
    }

    /** A plan may be any type, null included; the store holds it in this. */
    private record Holder<P>(P value) {
    }
}
