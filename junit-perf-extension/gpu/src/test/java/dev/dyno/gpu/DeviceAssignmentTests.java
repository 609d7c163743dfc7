package dev.dyno.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Device assignment")
class DeviceAssignmentTests {

    private final List<GpuDevice> fourH100 = GpuInventory.declared("dyno.gpus",
            "0:NVIDIA H100 80GB HBM3:81559,1:NVIDIA H100 80GB HBM3:81559,2:NVIDIA H100 80GB HBM3:81559,"
                    + "3:NVIDIA H100 80GB HBM3:81559").devices();

    @Test
    @DisplayName("round-robin gives 12 workers 3 on each of 4 devices, in turn")
    void roundRobinOverFour() {
        assertThat(new RoundRobinAssignment().assign(12, fourH100, 256))
                .containsExactly(0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3);
    }

    @Test
    @DisplayName("round-robin over a subset uses only its devices, in its order")
    void roundRobinOverSubset() {
        List<GpuDevice> subset = List.of(fourH100.get(2), fourH100.get(0));

        assertThat(new RoundRobinAssignment().assign(5, subset, 256)).containsExactly(2, 0, 2, 0, 2);
    }

    @Test
    @DisplayName("round-robin with fewer workers than devices leaves the last devices idle")
    void roundRobinFewerWorkers() {
        assertThat(new RoundRobinAssignment().assign(3, fourH100, 256)).containsExactly(0, 1, 2);
    }

    @Test
    @DisplayName("packed fills a device up to what its free memory holds before the next")
    void packedByMemory() {
        List<GpuDevice> small = GpuInventory.declared("dyno.gpus", "0:T4:1024,1:T4:1024,2:T4:1024").devices();

        assertThat(new PackedAssignment().assign(6, small, 256)).containsExactly(0, 0, 0, 0, 1, 1);
        assertThat(new PackedAssignment().assign(5, fourH100, 256)).containsExactly(0, 0, 0, 0, 0);
    }

    @Test
    @DisplayName("packed counts memory already in use, and overcommits round-robin once every device is full")
    void packedOvercommits() {
        List<GpuDevice> busy = NvidiaSmi.parseGpus("""
                0, GPU-a, Tesla T4, 1024, 768, 50
                1, GPU-b, Tesla T4, 1024, 0, 0
                """);

        assertThat(new PackedAssignment().assign(7, busy, 256)).containsExactly(0, 1, 1, 1, 1, 0, 1);
    }

    @Test
    @DisplayName("packed without memory sizes gives each device an even share, filled in order")
    void packedWithoutMemory() {
        List<GpuDevice> unknown = GpuInventory.declared("dyno.gpus", "4").devices();

        assertThat(new PackedAssignment().assign(6, unknown, 256)).containsExactly(0, 0, 1, 1, 2, 2);
    }
}
