package dev.dyno.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading the kernel's files about the host")
class HostFilesTests {

    @Test
    @DisplayName("/proc/stat: busy share and steal between two readings, idle and iowait not busy")
    void cpuTimes() {
        CpuTimes before = CpuTimes.parse("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\n");
        CpuTimes after = CpuTimes.parse("cpu  400 0 150 1100 50 0 0 100 0 0\n");

        assertThat(after.total() - before.total()).isEqualTo(800);
        assertThat(after.busyShareSince(before)).isCloseTo(500 / 800.0, within(1e-9));
        assertThat(after.stealShareSince(before)).isCloseTo(100 / 800.0, within(1e-9));
        assertThat(after.busyNanosSince(before)).isEqualTo(500 * 10_000_000L);
        assertThat(after.busyShareSince(after)).isZero();
    }

    @Test
    @DisplayName("/proc/stat: an old kernel without steal reads as zero steal; no aggregate line is an error")
    void cpuTimesEdges() {
        assertThat(CpuTimes.parse("cpu 1 2 3 4\n").steal()).isZero();
        assertThatThrownBy(() -> CpuTimes.parse("intr 1 2 3\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no aggregate 'cpu' line");
        assertThat(CpuTimes.read(Path.of("/nonexistent/stat"))).isEmpty();
    }

    @Test
    @DisplayName("/proc/<pid>/stat: a command name with spaces and parentheses does not shift the fields")
    void processStat() {
        ProcessStat stat = ProcessStat.parse("4242 (my (odd) task) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
                + "150 25 0 0 20 5 1 0 1000 0 0");
        assertThat(stat.state()).isEqualTo('S');
        assertThat(stat.cpuTicks()).isEqualTo(175);
        assertThat(stat.nice()).isEqualTo(5);
        assertThat(stat.cpuNanos()).isEqualTo(1_750_000_000L);
        assertThat(stat.alive()).isTrue();
        assertThat(ProcessStat.parse("1 (z) Z 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0").alive()).isFalse();
        assertThat(ProcessStat.read(ProcessHandle.current().pid())).hasValueSatisfying(s -> assertThat(s.alive()).isTrue());
    }

    @Test
    @DisplayName("mountinfo: cgroup v1 and v2 mounts with their controllers; escaped spaces; other mounts left out")
    void cgroupMounts() {
        List<CgroupMount> mounts = CgroupMount.parseAll(List.of(
                "25 1 0:23 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate",
                "30 25 0:27 /docker/abc /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct",
                "31 1 8:1 / /mnt/my\\040disk rw - ext4 /dev/sda1 rw",
                "not a mountinfo line"));

        assertThat(mounts).hasSize(2);
        assertThat(mounts.get(0).unified()).isTrue();
        assertThat(mounts.get(0).point()).isEqualTo(Path.of("/sys/fs/cgroup"));
        assertThat(mounts.get(1).root()).isEqualTo("/docker/abc");
        assertThat(mounts.get(1).controllers()).containsAll(Set.of("cpu", "cpuacct"));
        assertThat(CgroupMount.parse("32 1 0:28 / /sys/fs/cgroup/my\\040dir rw - cgroup cgroup rw,memory"))
                .hasValueSatisfying(m -> assertThat(m.point()).isEqualTo(Path.of("/sys/fs/cgroup/my dir")));
    }

    @Test
    @DisplayName("counter files: cpu.stat and /proc/meminfo alike; non-numbers left out; unreadable is empty")
    void kernelCounters() {
        assertThat(KernelCounters.parse(List.of("usage_usec 1234", "nr_throttled 7", "junk", "note text")))
                .containsEntry("usage_usec", 1234L).containsEntry("nr_throttled", 7L).hasSize(2);
        assertThat(KernelCounters.parse(List.of("MemTotal:       16318412 kB", "MemAvailable:    9000000 kB")))
                .containsEntry("MemTotal", 16318412L).containsEntry("MemAvailable", 9_000_000L);
        assertThat(KernelCounters.read(Path.of("/nonexistent/cpu.stat"))).isEmpty();
    }
}
