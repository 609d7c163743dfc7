package dev.dyno.workloads.scheduler;

import java.util.Collection;

/**
 * An amount of compute: CPU in millicores, memory in MB and whole GPUs.
 *
 * <p>The same type describes a worker's capacity, a container's demand and a change to free
 * capacity, so components may be negative: a delta that consumes capacity is negative.
 *
 * <pre>{@code
 * Resources free = Resources.of(4_000, 8_192);
 * Resources demand = Resources.of(500, 512);
 * free.covers(demand);              // true
 * free.minus(demand);               // 3500m, 7680 MB, 0 GPUs
 * }</pre>
 *
 * @param cpuMillis CPU in millicores (1000 = one core)
 * @param memoryMb memory in megabytes
 * @param gpus whole GPUs
 */
public record Resources(int cpuMillis, int memoryMb, int gpus) {

    /** No resources at all. */
    public static final Resources ZERO = new Resources(0, 0, 0);

    /** CPU and memory, no GPU. */
    public static Resources of(int cpuMillis, int memoryMb) {
        return new Resources(cpuMillis, memoryMb, 0);
    }

    /** CPU, memory and GPUs. */
    public static Resources of(int cpuMillis, int memoryMb, int gpus) {
        return new Resources(cpuMillis, memoryMb, gpus);
    }

    /** The sum of several amounts; {@link #ZERO} for none. */
    public static Resources sum(Collection<Resources> amounts) {
        Resources total = ZERO;
        for (Resources amount : amounts) {
            total = total.plus(amount);
        }
        return total;
    }

    /** Component-wise sum; overflow is an error, not a wrap-around. */
    public Resources plus(Resources other) {
        return new Resources(
                Math.addExact(cpuMillis, other.cpuMillis),
                Math.addExact(memoryMb, other.memoryMb),
                Math.addExact(gpus, other.gpus));
    }

    /** Component-wise difference. */
    public Resources minus(Resources other) {
        return plus(other.negated());
    }

    /** Every component with its sign flipped: the delta that consumes this amount. */
    public Resources negated() {
        return new Resources(
                Math.negateExact(cpuMillis), Math.negateExact(memoryMb), Math.negateExact(gpus));
    }

    /** Whether this amount, taken as free capacity, has room for {@code demand} in every component. */
    public boolean covers(Resources demand) {
        return cpuMillis >= demand.cpuMillis && memoryMb >= demand.memoryMb && gpus >= demand.gpus;
    }

    /** Whether any component is below zero: as free capacity, that would be double booking. */
    public boolean isNegative() {
        return cpuMillis < 0 || memoryMb < 0 || gpus < 0;
    }

    @Override
    public String toString() {
        return cpuMillis + "m CPU, " + memoryMb + " MB, " + gpus + " GPU";
    }
}
