package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;

/**
 * A named count that only goes up, such as lock acquisitions or cache hits. Contention-free
 * ({@link LongAdder}) and allocation-free.
 *
 * <pre>{@code
 * Counter locks = recorder.counter("locks.acquired");
 * lock.lock();
 * locks.increment();
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Counter implements Metric {

    private final String name;
    private final LongAdder count = new LongAdder();

    Counter(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    public void increment() {
        count.increment();
    }

    /** Adds a non-negative amount. */
    public void add(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("counter '" + name + "' only goes up; cannot add " + amount);
        }
        count.add(amount);
    }

    public long count() {
        return count.sum();
    }

    @Override
    public Long snapshot() {
        return count.sum();
    }
}
