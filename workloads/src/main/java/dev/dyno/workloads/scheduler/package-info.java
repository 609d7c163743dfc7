/**
 * A small batch container scheduler: a real system under test for scheduling performance tests.
 *
 * <p>Two schedulers place {@link dev.dyno.workloads.scheduler.ContainerRequest container requests}
 * on {@link dev.dyno.workloads.scheduler.Worker workers} whose free capacity lives in a shared
 * {@link dev.dyno.workloads.scheduler.WorkerStore} (an in-memory stand-in for Redis, with a real
 * simulated round-trip latency):
 *
 * <ul>
 *   <li>{@link dev.dyno.workloads.scheduler.BatchScheduler}, the optimised one: one cached snapshot
 *       per batch, decisions in memory, then one lock and one capacity update per worker used;</li>
 *   <li>{@link dev.dyno.workloads.scheduler.PerContainerScheduler}, the one it replaces: a snapshot,
 *       a lock and an update for every container.</li>
 * </ul>
 *
 * <p>Both report what they do, where they do it, through a
 * {@link dev.dyno.workloads.scheduler.SchedulerProbe}; the package depends on nothing but the JDK.
 *
 * <pre>{@code
 * WorkerStore store = WorkerStore.uniform(20, 4_000, 8_192, Duration.ofMillis(1));
 * try (ContainerScheduler scheduler = BatchScheduler.builder().store(store).build()) {
 *     List<Placement> placements = scheduler.scheduleAll(ContainerRequest.batch(100, 500, 512));
 * }
 * }</pre>
 */
package dev.dyno.workloads.scheduler;
