package dev.dyno.workloads.scheduler;

import java.util.Objects;

/**
 * Which worker a container prefers: its id hashed onto the list of workers.
 *
 * <p>The same container id always prefers the same worker (for as long as the worker list is the
 * same), which keeps image caches and data warm, and different ids spread like a random
 * assignment: 100 containers on 20 workers give each worker a handful, not exactly five.
 *
 * <p>The id's {@link String#hashCode()} is put through MurmurHash3's 64-bit finaliser before
 * taking the remainder. Without it the remainder follows the shape of the ids: the hash is a
 * polynomial in 31, so with 31 or 62 workers an id's worker depends almost only on its last
 * character, and 100 ids {@code web-01-a} to {@code web-99-a} all land on two of 31 workers.
 *
 * <pre>{@code
 * int index = WorkerAffinity.preferredIndex("container-42", 20);   // 0..19, always the same
 * }</pre>
 */
public final class WorkerAffinity {

    private WorkerAffinity() {}

    /** The index, from 0 to {@code workerCount - 1}, of the worker {@code containerId} prefers. */
    public static int preferredIndex(String containerId, int workerCount) {
        Objects.requireNonNull(containerId, "containerId");
        if (workerCount <= 0) {
            throw new IllegalArgumentException("need at least one worker, got " + workerCount);
        }
        return (int) Long.remainderUnsigned(mix(containerId.hashCode()), workerCount);
    }

    /** MurmurHash3's fmix64: every input bit affects every output bit. */
    static long mix(long key) {
        long k = key;
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
