package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.config.EnvironmentFingerprint;
import dev.dyno.host.CpuTimes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How quiet the machine was while a comparison ran: the {@link EnvironmentFingerprint} before and
 * after, the load average before and after, the share of CPU time the hypervisor stole (from
 * {@code /proc/stat}) and the time the JVM's cgroup was throttled (from {@code cpu.stat}), with a
 * warning for anything that makes the numbers less trustworthy.
 *
 * @param loadAverageBefore the one-minute load average before the first trial; NaN when unknown
 * @param cpuStealFraction the share of all CPU time stolen during the comparison; NaN when unknown
 * @param cpuThrottledSeconds seconds the cgroup was throttled during the comparison; NaN when unknown
 * @param rounds rounds measured after the warm-up, redone ones included
 * @param disturbedRounds of those, the rounds left out because competing work kept a timed trial off
 *         the CPU (see {@link Comparison#redoDisturbed(int)})
 * @param offCpuSpread how much the share of wall time the clean timed trials spent off the CPU varied
 *         (a robust standard deviation, the larger side's); above 0.05 competing load came and went
 *         within the trials; NaN when no trial was timed
 * @param warnings a sentence for each sign of noise, empty when the machine looked quiet
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record NoiseRecord(Map<String, String> fingerprintBefore, Map<String, String> fingerprintAfter,
        double loadAverageBefore, double loadAverageAfter, double cpuStealFraction, double cpuThrottledSeconds,
        int rounds, int disturbedRounds, double offCpuSpread, List<String> warnings) {

    /**
     * Whether the noise measured makes an answer that is not significant untrustworthy (it is then
     * {@link Verdict#INCONCLUSIVE}): competing work came and went during the trials, the hypervisor
     * stole CPU time, or the cgroup was throttled. The load average alone does not count: it is a
     * minute-long average of the whole machine.
     */
    boolean disturbsTrials() {
        return offCpuSpread > Disturbance.SPREAD_WARNING || cpuStealFraction > STEAL_WARNING
                || cpuThrottledSeconds > 0;
    }

    /** Fingerprint keys whose change makes numbers from before and after incomparable. */
    public static final List<String> COMPARABILITY_KEYS = List.of("cpu.model", "cpu.count", "cpu.quota", "java.version",
            "java.vm", "os");
    static final double STEAL_WARNING = 0.02;

    public NoiseRecord {
        fingerprintBefore = Map.copyOf(fingerprintBefore);
        fingerprintAfter = Map.copyOf(fingerprintAfter);
        warnings = List.copyOf(warnings);
    }

    /** Starts watching: reads everything that is later compared. */
    static Probe start() {
        return new Probe(EnvironmentFingerprint.capture(), loadAverage(), CpuTimes.read().orElse(null), throttledNanos());
    }

    /** The readings at the start of a comparison. */
    record Probe(Map<String, String> fingerprint, double load, CpuTimes cpu, double throttledNanos) {

        NoiseRecord finish(int rounds, int disturbedRounds, double typicalOffCpu, double offCpuSpread) {
            Map<String, String> after = EnvironmentFingerprint.capture();
            double loadAfter = loadAverage();
            CpuTimes cpuAfter = CpuTimes.read().orElse(null);
            double steal = cpu == null || cpuAfter == null ? Double.NaN : cpuAfter.stealShareSince(cpu);
            double throttledAfter = throttledNanos();
            double throttled = Double.isNaN(throttledNanos) || Double.isNaN(throttledAfter) ? Double.NaN
                    : (throttledAfter - throttledNanos) / 1e9;
            List<String> warnings = new ArrayList<>(fingerprintChanges(fingerprint, after, "during the comparison"));
            if (steal > STEAL_WARNING) {
                warnings.add(String.format(Locale.ROOT, "CPU steal was %.1f %% during the comparison: the host gave"
                        + " this machine's CPU time to others", steal * 100));
            }
            if (throttled > 0) {
                warnings.add(String.format(Locale.ROOT, "the cgroup was throttled for %.2f s during the comparison:"
                        + " its CPU quota was exhausted", throttled));
            }
            if (disturbedRounds > 0) {
                warnings.add(String.format(Locale.ROOT, "%d of %d rounds were disturbed: a timed trial spent clearly"
                        + " more of its time off the CPU than the quiet trials' %.1f %%, so other work competed for the CPU",
                        disturbedRounds, rounds, typicalOffCpu * 100));
            }
            if (offCpuSpread > Disturbance.SPREAD_WARNING) {
                warnings.add(String.format(Locale.ROOT, "the share of time the trials spent off the CPU varied by"
                        + " %.1f %% (robust SD): competing work came and went during them", offCpuSpread * 100));
            }
            int cpus = Runtime.getRuntime().availableProcessors();
            if (Math.max(load, loadAfter) > cpus) {
                warnings.add(String.format(Locale.ROOT, "load average %.2f on %d CPUs: other work competed for the CPU",
                        Math.max(load, loadAfter), cpus));
            }
            return new NoiseRecord(fingerprint, after, load, loadAfter, steal, throttled, rounds, disturbedRounds,
                    offCpuSpread, warnings);
        }
    }

    /**
     * A sentence for each comparability key that differs between two fingerprints, such as
     * {@code "cpu.quota differs between runs: 2.00 cores before, 1.00 cores after"}.
     */
    static List<String> fingerprintChanges(Map<String, String> before, Map<String, String> after, String when) {
        List<String> changes = new ArrayList<>();
        for (String key : COMPARABILITY_KEYS) {
            String a = before.get(key);
            String b = after.get(key);
            if (!Objects.equals(a, b)) {
                changes.add(key + " changed " + when + ": " + a + " → " + b);
            }
        }
        return changes;
    }

    private static double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Double.NaN : load;
    }

    /** Nanoseconds the JVM's cgroup has been throttled, from cgroup v2 or v1; NaN when unreadable. */
    private static double throttledNanos() {
        try {
            Path v2 = Path.of("/sys/fs/cgroup/cpu.stat");
            Path v1 = Path.of("/sys/fs/cgroup/cpu/cpu.stat");
            Path file = Files.isReadable(v2) ? v2 : Files.isReadable(v1) ? v1 : null;
            if (file == null) {
                return Double.NaN;
            }
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 2 && parts[0].equals("throttled_usec")) {
                    return Double.parseDouble(parts[1]) * 1e3;
                }
                if (parts.length == 2 && parts[0].equals("throttled_time")) {
                    return Double.parseDouble(parts[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup accounting on this machine: throttling stays unknown
        }
        return Double.NaN;
    }
}
