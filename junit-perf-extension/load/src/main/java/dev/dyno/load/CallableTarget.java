package dev.dyno.load;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Calls Java code on a fixed pool of worker threads, one call per request. */
final class CallableTarget implements LoadTarget {

    private final String description;
    private final Callable<?> call;
    private final ExecutorService workers;

    CallableTarget(String description, int threads, Callable<?> call) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " must be at least 1");
        }
        this.description = description;
        this.call = java.util.Objects.requireNonNull(call, "call");
        AtomicInteger ids = new AtomicInteger();
        // Unbounded queue: the generator's in-flight limit bounds it, and the wait is part of the latency.
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "dyno-load-call-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void send(long intendedNanos, long sentNanos, Completion completion) {
        try {
            workers.execute(() -> {
                // Service time starts when a worker takes the call; the wait for one is queueing.
                long started = System.nanoTime();
                Outcome outcome;
                try {
                    call.call();
                    outcome = Outcome.OK;
                } catch (TimeoutException e) {
                    outcome = Outcome.TIMEOUT;
                } catch (Exception | Error e) {
                    outcome = Outcome.ERROR;
                }
                completion.complete(intendedNanos, started, outcome);
            });
        } catch (RejectedExecutionException e) {
            completion.complete(intendedNanos, sentNanos, Outcome.ERROR);
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
