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
 * <p>The experiment runs inside the test method's invocation, so JUnit's {@code @Timeout} and
 * {@code junit.jupiter.execution.timeout.default} cover it: at the timeout JUnit interrupts the
 * thread; a capability stops its workloads on interruption and returns what it measured so far,
 * which is reported before the test fails with the timeout.
 *
 * <p>A capability is an annotation meta-annotated with {@code @PerfTest} and
 * {@code @ExtendWith(YourExtension.class)}, where {@code YourExtension} extends this class:
 *
 * <pre>{@code
 * class DiskWriteExtension extends CapabilityExtension<DiskWrite, DiskWrite, DiskWriteRun> {
 *     DiskWriteExtension() { super(DiskWrite.class, DiskWriteRun.class); }
 *     protected DiskWrite validate(DiskWrite annotation, Capability capability) { ... return annotation; }
 *     protected DiskWriteRun run(DiskWrite plan, Capability capability) { ... }
 *     protected void report(DiskWriteRun run, Capability capability) { ... }
 * }
 * }</pre>
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
     * Checks every attribute and the environment, and returns the plan. Nothing is started here:
     * bad input fails with an {@link ExtensionConfigurationException} that names the attribute, the
     * value and what is allowed; a missing prerequisite skips with {@link Capability#abort}.
     */
    protected abstract P validate(A annotation, Capability capability);

    /**
     * Provisions and runs the experiment, registering what must be stopped with
     * {@link Capability#closeWithTest}. On interruption (the test's timeout), stops and returns
     * what was measured so far.
     */
    protected abstract R run(P plan, Capability capability) throws Exception;

    /** Records the result into the recorder: metrics, tables, charts, steps. Nothing by default. */
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
        return parameterContext.getParameter().getType() == resultType;
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
