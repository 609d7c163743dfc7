package dev.dyno.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@link WorkloadRuntime#startAll}: the starts of several specs on a few threads at once, so that
 * what one start waits for (the engine creating a container, a program reaching readiness) overlaps
 * with the others'; all or nothing.
 */
final class ParallelStarts {

    private ParallelStarts() {
    }

    static List<RunningWorkload> startAll(WorkloadRuntime runtime, List<WorkloadSpec> specs, int parallel) {
        return startAll(runtime, specs, parallel, i -> runtime.start(specs.get(i)));
    }

    /** Like the above, each start made by {@code start} with the spec's index (a runtime that decides something first). */
    static List<RunningWorkload> startAll(WorkloadRuntime runtime, List<WorkloadSpec> specs, int parallel,
            java.util.function.IntFunction<RunningWorkload> starter) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel starts: " + parallel + " is not allowed; expected 1 or more");
        }
        if (specs.size() <= 1 || parallel == 1) {
            return inTurn(specs.size(), starter);
        }
        ExecutorService starters = Executors.newFixedThreadPool(Math.min(parallel, specs.size()), r -> {
            Thread thread = new Thread(r, "dyno-start-" + runtime.runId());
            thread.setDaemon(true);
            return thread;
        });
        List<Future<RunningWorkload>> starts = new ArrayList<>();
        try {
            for (int i = 0; i < specs.size(); i++) {
                int index = i;
                starts.add(starters.submit(() -> starter.apply(index)));
            }
            List<RunningWorkload> started = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<RunningWorkload> start : starts) {
                try {
                    started.add(start.get());
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                            : new WorkloadException("a start failed: " + e.getCause(), e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    // the test's timeout: the starts under way are interrupted; one that still comes up is the
                    // runtime's to stop when it closes, as every workload it started is
                    Thread.currentThread().interrupt();
                    starts.forEach(f -> f.cancel(true));
                    failure = failure != null ? failure : new WorkloadException("interrupted while starting "
                            + specs.size() + " workloads", e);
                    break;
                }
            }
            if (failure != null) {
                stopQuietly(started, failure);
                throw failure;
            }
            return started;
        } finally {
            starters.shutdown();
        }
    }

    private static List<RunningWorkload> inTurn(int count, java.util.function.IntFunction<RunningWorkload> start) {
        List<RunningWorkload> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                started.add(start.apply(i));
            } catch (RuntimeException e) {
                stopQuietly(started, e);
                throw e;
            }
        }
        return started;
    }

    private static void stopQuietly(List<RunningWorkload> workloads, RuntimeException failure) {
        for (RunningWorkload workload : workloads) {
            try {
                workload.kill();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
