package dev.dyno.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The facts about the machine that a result depends on: JDK, OS, CPU model and count, the cgroup
 * CPU quota the JVM runs under, load average, and why workloads ran as local processes where
 * {@code dyno.runtime=auto} could not use Docker ({@code dyno.runtime.reason}, {@code none} where
 * it did not fall back). Recorded next to every result so that numbers from different machines
 * are never compared unknowingly.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class EnvironmentFingerprint {

    /** Facts other modules know about this run, such as why the runtime fell back to processes. */
    private static final java.util.Map<String, String> NOTES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Records a fact of this JVM's run for every fingerprint from now on; the first value of a key
     * stays. The runtimes module notes {@code dyno.runtime.reason} here when Docker was not used.
     */
    public static void note(String key, String value) {
        NOTES.putIfAbsent(key, value);
    }


    private EnvironmentFingerprint() {
    }

    /** Reads the fingerprint now, with {@link DynoConfiguration#current()}. */
    public static Map<String, String> capture() {
        return capture(DynoConfiguration.current());
    }

    /**
     * Reads the fingerprint now, with the settings of {@code configuration} that shape a result:
     * runtime, mode and, where set, the others. Keys are stable; values are human-readable.
     *
     * @since 0.2
     */
    public static Map<String, String> capture(DynoConfiguration configuration) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("java.version", System.getProperty("java.version"));
        env.put("java.vendor", System.getProperty("java.vendor"));
        env.put("java.vm", System.getProperty("java.vm.name"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("cpu.model", CPU_MODEL);
        env.put("cpu.count", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("cpu.quota", cgroupCpuQuota().orElse("none"));
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        env.put("load.average", load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load));
        env.put(DynoConfiguration.RUNTIME_PROPERTY, configuration.runtime());
        env.put("dyno.runtime.reason", NOTES.getOrDefault("dyno.runtime.reason", "none"));
        NOTES.forEach(env::putIfAbsent);
        env.put(DynoConfiguration.MODE_PROPERTY, configuration.mode().name().toLowerCase(Locale.ROOT));
        env.put(DynoConfiguration.PROCESS_CPU_LIMIT_PROPERTY, configuration.processCpuLimit());
        configuration.dockerImage().ifPresent(image -> env.put(DynoConfiguration.DOCKER_IMAGE_PROPERTY, image));
        configuration.loadScale().ifPresent(scale -> env.put(DynoConfiguration.LOAD_SCALE_PROPERTY,
                BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString()));
        configuration.loadIoThreads().ifPresent(threads -> env.put(DynoConfiguration.LOAD_IO_THREADS_PROPERTY,
                Integer.toString(threads)));
        if (!configuration.loadPacer().equals(DynoConfiguration.DEFAULT_LOAD_PACER)) {
            env.put(DynoConfiguration.LOAD_PACER_PROPERTY, configuration.loadPacer());
        }
        configuration.gpus().ifPresent(gpus -> env.put(DynoConfiguration.GPUS_PROPERTY, gpus));
        return env;
    }

    /** Read once: the model does not change while the JVM runs, and /proc/cpuinfo is the costliest fact to read. */
    private static final String CPU_MODEL = cpuModel().orElse("unknown");

    private static Optional<String> cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The quota of the cgroup this JVM is in, as cores, from cgroup v2 or v1 files. */
    private static Optional<String> cgroupCpuQuota() {
        try {
            Path v2 = Path.of("/sys/fs/cgroup/cpu.max");
            if (Files.isReadable(v2)) {
                String[] parts = Files.readString(v2).strip().split("\\s+");
                return parts[0].equals("max") ? Optional.of("unlimited")
                        : Optional.of(cores(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
            }
            Path quota = Path.of("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
            Path period = Path.of("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
            if (Files.isReadable(quota) && Files.isReadable(period)) {
                long q = Long.parseLong(Files.readString(quota).strip());
                return q < 0 ? Optional.of("unlimited")
                        : Optional.of(cores(q, Long.parseLong(Files.readString(period).strip())));
            }
        } catch (IOException | RuntimeException e) {
            // a machine without cgroups simply has no quota to report
        }
        return Optional.empty();
    }

    private static String cores(long quota, long period) {
        return String.format(Locale.ROOT, "%.2f cores", (double) quota / period);
    }
}
