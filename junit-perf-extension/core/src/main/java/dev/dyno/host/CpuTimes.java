package dev.dyno.host;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The machine's cumulative CPU time, from the aggregate {@code cpu} line of {@code /proc/stat}, in
 * clock ticks. Two readings tell how busy the machine was between them, and how much a hypervisor
 * took (steal): the noise every measured comparison has to know about.
 *
 * @since 0.2
 */
@API(status = INTERNAL, since = "0.2")
public record CpuTimes(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal) {

    /** Linux reports CPU times in USER_HZ ticks, 100 per second on every architecture it runs on. */
    public static final long TICKS_PER_SECOND = 100;
    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** The machine's reading now, or empty where there is no {@code /proc/stat} this parser knows. */
    public static Optional<CpuTimes> read() {
        return read(PROC_STAT);
    }

    public static Optional<CpuTimes> read(Path procStat) {
        try {
            return Optional.of(parse(Files.readString(procStat)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses the aggregate line of {@code /proc/stat}'s content. Fields a kernel does not report
     * (steal before 2.6.11) are 0.
     *
     * @throws IllegalArgumentException when there is no aggregate {@code cpu} line
     */
    public static CpuTimes parse(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] parts = line.trim().split("\\s+");
                long[] v = new long[8];
                for (int i = 0; i < v.length && i + 1 < parts.length; i++) {
                    v[i] = Long.parseLong(parts[i + 1]);
                }
                return new CpuTimes(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
            }
        }
        throw new IllegalArgumentException("no aggregate 'cpu' line in /proc/stat");
    }

    /** All ticks, busy or not. */
    public long total() {
        return busy() + idle + iowait;
    }

    /** Ticks some process, the kernel or the hypervisor used: everything but idle and iowait. */
    public long busy() {
        return user + nice + system + irq + softirq + steal;
    }

    /** The share of all CPUs that was busy from {@code earlier} to this reading; 0 when no time passed. */
    public double busyShareSince(CpuTimes earlier) {
        long total = total() - earlier.total();
        return total <= 0 ? 0 : (double) (busy() - earlier.busy()) / total;
    }

    /** The share of all CPU time the hypervisor took from {@code earlier} to this reading. */
    public double stealShareSince(CpuTimes earlier) {
        long total = total() - earlier.total();
        return total <= 0 ? 0 : (double) (steal - earlier.steal) / total;
    }

    /** Busy CPU nanoseconds, all CPUs together, from {@code earlier} to this reading. */
    public long busyNanosSince(CpuTimes earlier) {
        return (busy() - earlier.busy()) * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
