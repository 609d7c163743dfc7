/**
 * Provisioning: runs workloads as local processes under cgroup limits, or as Docker containers,
 * with CPU limits that change while they run, resource samples, and nothing left behind.
 *
 * <p>Every capability provisions through {@link dev.dyno.runtime.WorkloadRuntime}:
 *
 * <pre>{@code
 * try (WorkloadRuntime runtime = Runtimes.open()) {            // Docker if an engine answers, else processes
 *     RunningWorkload busy = runtime.start(WorkloadSpec.ofCommand("python3", "load_test.py")
 *             .withCpuLimit(0.5)
 *             .withReadiness(Readiness.metricsJson()));
 *     busy.setCpuLimit(1.0);                                  // live
 *     ResourceSample sample = busy.sample();                  // cores, throttling, memory
 *     MetricsJson metrics = busy.metrics().orElseThrow();
 * }                                                          // stopped and removed, even on failure
 * }</pre>
 *
 * <p>Everything a runtime starts carries its {@link dev.dyno.runtime.RunId}: the {@code DYNO_RUN_ID}
 * environment variable and a pid file for processes, a cgroup under {@code dyno/<runId>/}, the
 * {@code dev.dyno.run} and {@code dev.dyno.owner-pid} labels for containers. Closing the runtime
 * (or the JVM shutting down) stops all of it; what a killed JVM left is reaped when the next
 * runtime opens.
 *
 * <p>The SPI ({@code WorkloadRuntime}, {@code RunningWorkload}, {@code WorkloadSpec}) has no
 * Docker types in it, so a Kubernetes runtime can implement it as it is.
 */
package dev.dyno.runtime;
