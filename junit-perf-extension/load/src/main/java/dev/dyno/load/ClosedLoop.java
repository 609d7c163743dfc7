package dev.dyno.load;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The users of one closed-model phase: each sends its next request when its previous one has
 * answered, until the phase's requests are claimed, its deadline has passed, the generator stops
 * or the phase is abandoned.
 */
final class ClosedLoop implements LoadTarget.Completion {

    /** How deep a user's next request may nest in its answer's completion before it is handed to another thread. */
    private static final int MAX_DEPTH = 8;
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final LoadGenerator generator;
    private final Handoff handoff;
    private final PhaseRun phase;
    private final int users;
    private final long requests;
    private final long deadline;
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicInteger active;
    private final CountDownLatch done = new CountDownLatch(1);

    ClosedLoop(LoadGenerator generator, Handoff handoff, PhaseRun phase, int users, long requests, long deadline) {
        this.generator = generator;
        this.handoff = handoff;
        this.phase = phase;
        this.users = users;
        this.requests = requests;
        this.deadline = deadline;
        this.active = new AtomicInteger(users);
    }

    /** Every user sends its first request. */
    void start() {
        for (int u = 0; u < users; u++) {
            next();
        }
    }

    /** Waits until every user has stopped, at most {@code nanos}; returns whether they all have. */
    boolean await(long nanos) throws InterruptedException {
        return done.await(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void complete(long intendedNanos, long sentNanos, Outcome outcome) {
        phase.complete(intendedNanos, sentNanos, outcome);
        next();
    }

    @Override
    public void complete(long intendedNanos, long sentNanos, Outcome outcome, int kind) {
        phase.complete(intendedNanos, sentNanos, outcome, kind);
        next();
    }

    private void next() {
        if (generator.stopped() || phase.isAbandoned() || System.nanoTime() >= deadline
                || claimed.getAndIncrement() >= requests) {
            if (active.decrementAndGet() == 0) {
                done.countDown();
            }
            return;
        }
        int[] depth = DEPTH.get();
        if (depth[0] > MAX_DEPTH) {
            // A target that answers on the caller's thread would recurse without end.
            handoff.execute(this::sendOne);
            return;
        }
        depth[0]++;
        try {
            sendOne();
        } finally {
            depth[0]--;
        }
    }

    private void sendOne() {
        long now = System.nanoTime();
        phase.countRequest();
        generator.dispatch(phase, now, now, this);
    }

    /** The thread a too-deep user's next request goes to, started on first need and shared by a generator's closed phases. */
    static final class Handoff implements AutoCloseable {
        private volatile ExecutorService executor;

        void execute(Runnable task) {
            ExecutorService e = executor;
            if (e == null) {
                synchronized (this) {
                    if (executor == null) {
                        executor = Executors.newSingleThreadExecutor(r -> LoadGenerator.daemon(r, "dyno-load-closed-loop"));
                    }
                    e = executor;
                }
            }
            e.execute(task);
        }

        @Override
        public void close() {
            ExecutorService e = executor;
            if (e != null) {
                e.shutdownNow();
            }
        }
    }
}
