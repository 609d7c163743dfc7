package dev.dyno.runtime;

import java.util.List;

/**
 * Run in a forked JVM by {@link ProcessRuntimeTests}, whose environment the test chooses: starts
 * one workload with the GPUs given as arguments and one without, and prints what each saw.
 */
public final class GpuEnvironmentMain {

    static final String SEEN = "SEEN ";
    static final String PRINT_ENV = "echo \"CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES-unset} "
            + "CUDA_DEVICE_ORDER=${CUDA_DEVICE_ORDER-unset}\"";

    private GpuEnvironmentMain() {
    }

    public static void main(String[] args) {
        try (ProcessRuntime runtime = ProcessRuntime.open()) {
            WorkloadSpec printEnv = WorkloadSpec.ofCommand("sh", "-c", PRINT_ENV).withReadiness(Readiness.exit());
            RunningWorkload withGpus = runtime.start(printEnv.withGpuDevices(List.of(args)));
            RunningWorkload without = runtime.start(printEnv);
            System.out.println(SEEN + "with " + withGpus.stdout().strip());
            System.out.println(SEEN + "without " + without.stdout().strip());
        }
    }
}
