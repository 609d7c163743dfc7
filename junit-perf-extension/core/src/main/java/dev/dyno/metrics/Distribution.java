package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;

/**
 * Counts per key, such as containers per worker or requests per GPU.
 *
 * <p>A key's first count allocates its slot; later counts do not. At most {@value #MAX_KEYS}
 * distinct keys are kept (constant memory); counts for further keys go to {@value #OTHER}.
 *
 * <pre>{@code
 * recorder.distribution("containers.per.worker").increment(placement.workerId());
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Distribution implements Metric {

    static final int MAX_KEYS = 10_000;
    /** The key that collects counts once {@value #MAX_KEYS} keys exist. */
    public static final String OTHER = "(other)";

    private final String name;
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    Distribution(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    public void increment(String key) {
        add(key, 1);
    }

    public void add(String key, long amount) {
        LongAdder slot = counts.get(key);
        if (slot == null) {
            String kept = counts.size() < MAX_KEYS ? key : OTHER;
            slot = counts.computeIfAbsent(kept, k -> new LongAdder());
        }
        slot.add(amount);
    }

    /**
     * Declares keys that must appear even with a zero count, such as all workers, so that
     * "every worker took part" can be checked.
     */
    public void expectKeys(Iterable<String> keys) {
        keys.forEach(key -> counts.computeIfAbsent(key, k -> new LongAdder()));
    }

    @Override
    public DistributionSnapshot snapshot() {
        Map<String, Long> copy = new TreeMap<>(DistributionSnapshot.NATURAL_ORDER);
        counts.forEach((key, count) -> copy.put(key, count.sum()));
        return new DistributionSnapshot(name, copy);
    }
}
