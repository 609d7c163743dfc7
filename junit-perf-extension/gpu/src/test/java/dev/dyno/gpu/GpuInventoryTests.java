package dev.dyno.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

@DisplayName("A declared GPU inventory (dyno.gpus)")
class GpuInventoryTests {

    @Test
    @DisplayName("declares devices 0 to n-1 from a count")
    void fromCount() {
        GpuInventory inventory = GpuInventory.declared("dyno.gpus", "4");

        assertThat(inventory.indexes()).containsExactly(0, 1, 2, 3);
        assertThat(inventory.source()).isEqualTo(GpuInventory.Source.DECLARED);
        assertThat(inventory.detail()).isEqualTo("4 GPU(s) declared in dyno.gpus, not discovered");
        assertThat(inventory.devices().get(0).memoryTotalMb()).isEmpty();
    }

    @Test
    @DisplayName("declares named devices with their memory, in index order")
    void fromList() {
        GpuInventory inventory = GpuInventory.declared("dyno.gpus",
                "2:NVIDIA H100 80GB HBM3:81559, 0:NVIDIA H100 80GB HBM3:81559,1:NVIDIA A100-SXM4-40GB");

        assertThat(inventory.indexes()).containsExactly(0, 1, 2);
        assertThat(inventory.device(0).orElseThrow().name()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(inventory.device(0).orElseThrow().memoryTotalMb()).isEqualTo(OptionalLong.of(81559));
        assertThat(inventory.device(1).orElseThrow().name()).isEqualTo("NVIDIA A100-SXM4-40GB");
        assertThat(inventory.device(1).orElseThrow().memoryTotalMb()).isEmpty();
    }

    @Test
    @DisplayName("declares no GPU with none or 0")
    void none() {
        assertThat(GpuInventory.declared("dyno.gpus", "none").isEmpty()).isTrue();
        assertThat(GpuInventory.declared("dyno.gpus", "0").isEmpty()).isTrue();
    }

    @Test
    @DisplayName("rejects duplicates, a missing index, bad memory and huge counts, naming the setting and the value")
    void rejectsMalformed() {
        assertThatThrownBy(() -> GpuInventory.declared("dyno.gpus", "0:A:1,0:B:2"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("dyno.gpus value \"0:A:1,0:B:2\" declares GPU 0 twice; write a count");
        assertThatThrownBy(() -> GpuInventory.declared("dyno.gpus", "H100"))
                .hasMessageStartingWith("dyno.gpus value \"H100\" entry \"H100\" does not start with a device index");
        assertThatThrownBy(() -> GpuInventory.declared("@GpuWorkers(inventory)", "0:H100:80GB"))
                .hasMessageStartingWith("@GpuWorkers(inventory) value \"0:H100:80GB\" entry \"0:H100:80GB\" has memory "
                        + "\"80GB\", not a whole number of MiB");
        assertThatThrownBy(() -> GpuInventory.declared("dyno.gpus", "0,,1")).hasMessageContaining("has an empty entry");
        assertThatThrownBy(() -> GpuInventory.declared("dyno.gpus", "1000")).hasMessageContaining("more than 64 GPUs");
    }
}
