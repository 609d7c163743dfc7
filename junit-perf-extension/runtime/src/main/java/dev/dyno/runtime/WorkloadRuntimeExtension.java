package dev.dyno.runtime;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.spi.ClosedWithTest;
import dev.dyno.spi.PerfContext;
import dev.dyno.spi.PerfTestPlugin;
import dev.dyno.view.Attachment;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.support.TypeBasedParameterResolver;

/**
 * Gives a {@code @PerfTest} method a {@link WorkloadRuntime} of its own. The runtime lives in the
 * method's store, so JUnit closes it when the test ends however it ends, which stops everything
 * the test started; when the test fails, the logs of its workloads go into the report first.
 */
public final class WorkloadRuntimeExtension extends TypeBasedParameterResolver<WorkloadRuntime>
        implements PerfTestPlugin, AfterTestExecutionCallback {

    private static final Namespace NAMESPACE = Namespace.create(WorkloadRuntimeExtension.class);
    private static final String RUNTIME = "runtime";

    @Override
    public WorkloadRuntime resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        DynoConfiguration configuration = DynoConfiguration.of(context);
        return runtimeHolder(context, configuration).get();
    }

    @SuppressWarnings("unchecked")
    private static ClosedWithTest.Holder<WorkloadRuntime> runtimeHolder(ExtensionContext context,
            DynoConfiguration configuration) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(RUNTIME,
                key -> ClosedWithTest.holding(Runtimes.open(configuration)), ClosedWithTest.Holder.class);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        ClosedWithTest.Holder<?> holder = context.getStore(NAMESPACE).get(RUNTIME, ClosedWithTest.Holder.class);
        if (holder == null || context.getExecutionException().isEmpty()) {
            return;
        }
        WorkloadRuntime runtime = (WorkloadRuntime) holder.get();
        for (RunningWorkload workload : runtime.workloads()) {
            String exit = workload.exitCode().isPresent() ? "exit " + workload.exitCode().getAsInt() : "running";
            PerfContext.recorder(context).attach(Attachment.log("workload " + workload.name() + " (" + exit + ") stdout", workload.stdoutFile()));
            PerfContext.recorder(context).attach(Attachment.log("workload " + workload.name() + " (" + exit + ") stderr", workload.stderrFile()));
        }
    }
}
