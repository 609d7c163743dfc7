package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CgroupHierarchyTests {

    @Test
    @DisplayName("a cgroup v1 mount line gives its controllers, root and mount point")
    void parsesV1Mounts() {
        dev.dyno.host.CgroupMount mount = dev.dyno.host.CgroupMount.parse(
                "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct").orElseThrow();

        assertThat(mount.fsType()).isEqualTo("cgroup");
        assertThat(mount.point()).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(mount.root()).isEqualTo("/");
        assertThat(mount.controllers()).contains("cpu", "cpuacct");
    }

    @Test
    @DisplayName("a cgroup v2 mount line is recognised, other file systems are not")
    void parsesV2Mounts() {
        assertThat(dev.dyno.host.CgroupMount.parse("41 31 0:38 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"))
                .hasValueSatisfying(m -> assertThat(m.fsType()).isEqualTo("cgroup2"));
        assertThat(dev.dyno.host.CgroupMount.parse("22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw")).isEmpty();
    }

    @Test
    @DisplayName("with no writable cgroup with a CPU controller, nothing is detected")
    void nothingWritable() {
        assertThat(CgroupHierarchy.detect(
                java.util.List.of("41 31 0:38 / /nonexistent/cgroup rw - cgroup2 cgroup2 rw"),
                java.util.List.of("0::/"))).isEmpty();
    }

    @Test
    @DisplayName("on a Linux machine with writable cgroups, a version with a CPU controller is found")
    void detectsThisMachine() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isWritable(Path.of("/sys/fs/cgroup")),
                "needs writable cgroups");

        assertThat(CgroupHierarchy.detect()).hasValueSatisfying(h ->
                assertThat(h.mechanism()).isIn(CpuLimitMechanism.CGROUP_V1, CpuLimitMechanism.CGROUP_V2));
    }
}
