package dev.dyno.gpu;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.runtime.DockerRuntime;
import dev.dyno.runtime.ProcessRuntime;
import dev.dyno.runtime.Runtimes;
import dev.dyno.spi.Capability;
import dev.dyno.spi.CapabilityExtension;
import java.math.BigDecimal;

/**
 * Runs {@link GpuWorkers}: validates the annotation and resolves the devices (or skips with the
 * reason), runs the workers inside the test method's invocation (as processes, or as containers
 * where {@value Runtimes#RUNTIME_PROPERTY} is {@code docker}), reports the run, and gives the
 * method the {@link GpuRun}. The experiment is closed with the test, which stops anything still
 * running.
 */
class GpuWorkersExtension extends CapabilityExtension<GpuWorkers, GpuPlan, GpuRun> {

    GpuWorkersExtension() {
        super(GpuWorkers.class, GpuRun.class);
    }

    @Override
    protected GpuPlan validate(GpuWorkers annotation, Capability capability) {
        capability.expect("thresholds", annotation.thresholds());
        GpuPlan plan;
        try {
            plan = GpuPlan.of(annotation, GpuPlan.Environment.of(capability.configuration()));
        } catch (GpuPlan.Skip skip) {
            capability.abort(skip.getMessage());
            return null; // not reached: abort throws, skipping the test (or failing it where dyno.skips = fail)
        }
        if (plan.runtime().equals(DockerRuntime.NAME)) {
            Runtimes.assumeDocker(); // without an engine: skipped with the reason, or failed (dyno.skips, DYNO_REQUIRE_DOCKER)
        }
        capability.expect("minSuccessRate",
                "gpu.success_rate >= " + BigDecimal.valueOf(plan.minSuccessRate()).stripTrailingZeros().toPlainString());
        // always: no process, container or CUDA context a worker started may outlive the workers
        capability.expect("leak check", "gpu.processes.leaked == 0");
        return plan;
    }

    @Override
    protected GpuRun run(GpuPlan plan, Capability capability) {
        DynoConfiguration configuration = capability.configuration();
        GpuExperiment experiment = capability.closeWithTest(new GpuExperiment(plan,
                () -> plan.runtime().equals(DockerRuntime.NAME)
                        ? DockerRuntime.open(configuration) : ProcessRuntime.open(configuration),
                NvidiaSmi.onPath()));
        return experiment.run(capability.recorder());
    }

    @Override
    protected void report(GpuRun run, Capability capability) {
        GpuReport.record(capability.recorder(), run);
    }
}
