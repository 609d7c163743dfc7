package dev.dyno.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A container's counters from its engine's stats stream: the source for an engine whose cgroups
 * this machine cannot read (a remote one, {@code DOCKER_HOST=tcp://…}).
 *
 * <p>The engine sends a reading about once a second, and a single stats call waits for the next
 * one. So the stream is followed in the background from the container's start, and
 * {@link #latest} hands over the newest reading without waiting: a caller such as a
 * {@code @CpuBoost} restore is never held up by the engine, at the price of a CPU timeline with
 * one point a second instead of ten.
 */
final class EngineStats implements AutoCloseable {

    private final AtomicReference<Statistics> latest = new AtomicReference<>();
    private final CountDownLatch first = new CountDownLatch(1);
    private final Instant startedAt;
    private final ResultCallback.Adapter<Statistics> stream;

    private EngineStats(DockerClient client, String containerId, Instant startedAt) {
        this.startedAt = startedAt;
        this.stream = client.statsCmd(containerId).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics statistics) {
                latest.set(statistics);
                first.countDown();
            }
        });
    }

    /** Follows {@code containerId}'s stats from now until {@link #close()}. */
    static EngineStats follow(DockerClient client, String containerId, Instant startedAt) {
        return new EngineStats(client, containerId, startedAt);
    }

    /**
     * The newest reading's counters, waiting up to {@code forFirst} only while none has arrived
     * yet; empty if none came.
     */
    Optional<UsageCounters> latest(Duration forFirst) {
        try {
            first.await(forFirst.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.ofNullable(latest.get()).map(s -> counters(s, startedAt));
    }

    /** The newest reading as the engine sent it, if one came. */
    Optional<Statistics> latestStatistics() {
        return Optional.ofNullable(latest.get());
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException | RuntimeException e) {
            // the engine ended the stream already (the container is gone)
        }
    }

    /** The counters in one reading, timed by the engine's clock (not before the container started). */
    static UsageCounters counters(Statistics stats, Instant startedAt) {
        Instant at = parseTime(stats.getRead()).filter(t -> t.isAfter(startedAt)).orElseGet(Instant::now);
        CpuStatsConfig cpu = stats.getCpuStats();
        long cpuNanos = cpu != null && cpu.getCpuUsage() != null && cpu.getCpuUsage().getTotalUsage() != null
                ? cpu.getCpuUsage().getTotalUsage() : 0;
        long periods = 0;
        long throttledPeriods = 0;
        long throttledNanos = 0;
        if (cpu != null && cpu.getThrottlingData() != null) {
            periods = orZero(cpu.getThrottlingData().getPeriods());
            throttledPeriods = orZero(cpu.getThrottlingData().getThrottledPeriods());
            throttledNanos = orZero(cpu.getThrottlingData().getThrottledTime());
        }
        return new UsageCounters(at, cpuNanos, periods, throttledPeriods, throttledNanos, memoryOf(stats.getMemoryStats()));
    }

    private static long memoryOf(MemoryStatsConfig memory) {
        if (memory == null || memory.getUsage() == null) {
            return 0;
        }
        StatsConfig details = memory.getStats();
        long inactiveFile = 0;
        if (details != null) {
            // like `docker stats`: page cache that can be dropped is not the workload's memory
            inactiveFile = details.getTotalInactiveFile() != null ? details.getTotalInactiveFile()
                    : orZero(details.getInactiveFile());
        }
        return Math.max(0, memory.getUsage() - inactiveFile);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    /** An engine's timestamp ({@code 0001-…} where it has none). */
    static Optional<Instant> parseTime(String text) {
        if (text == null || text.isBlank() || text.startsWith("0001-")) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
