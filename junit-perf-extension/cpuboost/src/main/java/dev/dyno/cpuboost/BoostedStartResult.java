package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.runtime.JvmRecording;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * The result of one boosted (or baseline) start of one workload in one configuration: what it
 * reported about itself, what Dyno measured around it, and how its boost ended.
 *
 * @param workload       the workload's name (its catalog name, or the image's)
 * @param configuration  the configuration it ran in
 * @param round          the round, from 0; every configuration runs once per round
 * @param instance       which of the concurrently started workloads this is, from 0
 * @param runtime        {@code docker} or {@code process}
 * @param workloadId     the container id or process id it ran as
 * @param where          where it ran, as {@code RunningWorkload.where()} says: {@code this machine}, or the
 *                       Docker engine (which matters where {@code dyno.docker.hosts} lists several)
 * @param startedAt      when the start was requested (the boost is in force from container creation)
 * @param wallTime       from the start request to exit (or to readiness, when readiness ended the run)
 * @param readyAfter     when the readiness condition first held, since the start request
 * @param baseCpus       the allocation outside the boost
 * @param boostedCpus    the allocation during the boost (the base for a baseline start; capped at the machine)
 * @param restoration    how the boost ended
 * @param peakCpu        the most CPU used over one sampling interval while boosted (or, for a baseline, at all)
 * @param peakMemoryBytes the most memory used
 * @param cpuAllocated   the CPU count the workload saw, as it reported it ({@code cpu_allocated}). A JVM
 *                       sizes itself at start from it (garbage collector, compiler and pool threads), so a
 *                       boosted JVM keeps that sizing after the restore: kube-startup-cpu-boost's warning
 * @param visibleCpus    the CPUs the runtime lets it see ({@code nproc}); a CFS quota does not change it
 * @param timings        the workload's own timings ({@code total_time} and its phases), by field name
 * @param slowdownAfterRestore the median duration of its iterations after the restore over before it, for a
 *                       workload that reports {@code iterations}
 * @param samples        its resource readings over time
 * @param stdout         its whole standard output
 * @param stderr         its whole standard error
 * @param jvmRecording   its JVM's flight recording and what it shows, with {@link CpuBoost#recordJvm()}
 *                       (or why there is none, such as a workload that is no JVM); empty without
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record BoostedStartResult(String workload, BoostConfiguration configuration, int round, int instance,
        String runtime, String workloadId, String where, Instant startedAt, Duration wallTime, Optional<Duration> readyAfter,
        double baseCpus, double boostedCpus, Restoration restoration, double peakCpu, long peakMemoryBytes, OptionalInt cpuAllocated, int visibleCpus,
        Map<String, Duration> timings, OptionalDouble slowdownAfterRestore, List<CpuSample> samples, Path stdout,
        Path stderr, Optional<JvmRecording> jvmRecording) {

    /** The METRICS_JSON field of the start-up time compared, when a workload reports it. */
    public static final String TOTAL_TIME = "total_time";

    /** The name under which {@link #wallTime()} is compared. */
    public static final String WALL = "wall";

    public BoostedStartResult {
        timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
        samples = List.copyOf(samples);
    }

    /** The start-up time compared: the workload's {@code total_time}, or {@link #wallTime()} without one. */
    public Duration total() {
        return timings.getOrDefault(TOTAL_TIME, wallTime);
    }

    /**
     * A timing by name: {@value #WALL}, {@code total} ({@link #total()}) or one of {@link #timings()}.
     *
     * @return empty when this start did not report it
     */
    public Optional<Duration> timing(String name) {
        if (WALL.equals(name)) {
            return Optional.of(wallTime);
        }
        if ("total".equals(name)) {
            return Optional.of(total());
        }
        return Optional.ofNullable(timings.get(name));
    }

    /** This start with its JVM's recording, collected once the workload stopped. */
    BoostedStartResult withJvmRecording(JvmRecording recording) {
        return new BoostedStartResult(workload, configuration, round, instance, runtime, workloadId, where, startedAt,
                wallTime,
                readyAfter, baseCpus, boostedCpus, restoration, peakCpu, peakMemoryBytes, cpuAllocated, visibleCpus,
                timings, slowdownAfterRestore, samples, stdout, stderr, Optional.of(recording));
    }

    /** What its JVM's recording shows, when {@link CpuBoost#recordJvm()} asked for one and its JVM wrote it. */
    public Optional<JvmRecording.Summary> jvm() {
        return jvmRecording.flatMap(JvmRecording::summary);
    }

    /** The effective boost: {@code boostedCpus / baseCpus} (less than asked when capped at the machine). */
    public double effectiveFactor() {
        return boostedCpus / baseCpus;
    }
}
