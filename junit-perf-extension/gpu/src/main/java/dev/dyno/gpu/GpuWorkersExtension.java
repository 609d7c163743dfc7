package dev.dyno.gpu;

import dev.dyno.config.DynoAssumptions;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.spi.PerfContext;
import dev.dyno.runtime.DockerRuntime;
import dev.dyno.runtime.ProcessRuntime;
import dev.dyno.runtime.Runtimes;
import java.math.BigDecimal;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.support.TypeBasedParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs {@link GpuWorkers}: validates and resolves devices in {@code beforeEach} (or skips with the
 * reason), runs the workers in {@code beforeTestExecution} (as processes, or as containers where
 * {@value Runtimes#RUNTIME_PROPERTY} is {@code docker}), gives the method the {@link GpuRun},
 * and attaches charts and failed workers' logs afterwards. State lives in the method's store; the
 * experiment there is closed with the test, which stops anything still running.
 */
class GpuWorkersExtension extends TypeBasedParameterResolver<GpuRun>
        implements BeforeEachCallback, BeforeTestExecutionCallback, AfterTestExecutionCallback {

    private static final Namespace NAMESPACE = Namespace.create(GpuWorkersExtension.class);
    private static final String PLAN = "plan";
    private static final String EXPERIMENT = "experiment";
    private static final String RUN = "run";

    @Override
    public void beforeEach(ExtensionContext context) {
        GpuWorkers annotation = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), GpuWorkers.class)
                .orElseThrow(() -> new ExtensionConfigurationException(context.getRequiredTestMethod()
                        + " is not annotated with @GpuWorkers"));
        PerfContext.expect(context, "@GpuWorkers(thresholds)", annotation.thresholds());
        GpuPlan plan;
        try {
            plan = GpuPlan.of(annotation, GpuPlan.Environment.of(DynoConfiguration.of(context)));
        } catch (GpuPlan.Skip skip) {
            DynoAssumptions.abort(skip.getMessage());
            return;
        }
        if (plan.runtime().equals(DockerRuntime.NAME)) {
            Runtimes.assumeDocker(); // without an engine: skipped with the reason, or failed (dyno.skips, DYNO_REQUIRE_DOCKER)
        }
        PerfContext.expect(context, "@GpuWorkers(minSuccessRate)",
                "gpu.success_rate >= " + BigDecimal.valueOf(plan.minSuccessRate()).stripTrailingZeros().toPlainString());
        PerfContext.expect(context, "@GpuWorkers", "gpu.processes.leaked == 0");
        context.getStore(NAMESPACE).put(PLAN, plan);
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        GpuPlan plan = context.getStore(NAMESPACE).get(PLAN, GpuPlan.class);
        if (plan == null) {
            return;
        }
        DynoConfiguration configuration = DynoConfiguration.of(context);
        GpuExperiment experiment = context.getStore(NAMESPACE).getOrComputeIfAbsent(EXPERIMENT,
                key -> new GpuExperiment(plan, () -> plan.runtime().equals(DockerRuntime.NAME)
                        ? DockerRuntime.open(configuration) : ProcessRuntime.open(configuration), NvidiaSmi.onPath()),
                GpuExperiment.class);
        context.getStore(NAMESPACE).put(RUN, experiment.run(PerfContext.recorder(context)));
    }

    @Override
    public GpuRun resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        GpuRun run = context.getStore(NAMESPACE).get(RUN, GpuRun.class);
        if (run == null) {
            throw new ParameterResolutionException("a GpuRun can only be injected into a @GpuWorkers method, not into "
                    + parameterContext.getDeclaringExecutable());
        }
        return run;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        GpuRun run = context.getStore(NAMESPACE).get(RUN, GpuRun.class);
        GpuExperiment experiment = context.getStore(NAMESPACE).get(EXPERIMENT, GpuExperiment.class);
        if (run != null) {
            GpuReport.attach(run, experiment == null ? null : experiment.sampler());
        }
    }
}
