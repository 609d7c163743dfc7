package dev.dyno.runtime;

import java.time.Instant;

/** Cumulative resource counters as read from a cgroup, the engine or /proc; {@link ResourceSample}s are made from two of these. */
record UsageCounters(
        Instant at, long cpuNanos, long periods, long throttledPeriods, long throttledNanos, long memoryBytes) {
}
