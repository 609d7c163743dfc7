package dev.dyno.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("nvidia-smi")
class NvidiaSmiTests {

    /** `nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits` on an 8 × H100 node. */
    static final String H100_NODE = """
            0, GPU-5f2b8a7e-1c3d-4e5f-8a9b-0c1d2e3f4a5b, NVIDIA H100 80GB HBM3, 81559, 0, 0
            1, GPU-6a3c9b8f-2d4e-5f6a-9b0c-1d2e3f4a5b6c, NVIDIA H100 80GB HBM3, 81559, 0, 0
            2, GPU-7b4d0c9a-3e5f-6a7b-0c1d-2e3f4a5b6c7d, NVIDIA H100 80GB HBM3, 81559, 40960, 97
            3, GPU-8c5e1d0b-4f6a-7b8c-1d2e-3f4a5b6c7d8e, NVIDIA H100 80GB HBM3, 81559, 4, 0
            4, GPU-9d6f2e1c-5a7b-8c9d-2e3f-4a5b6c7d8e9f, NVIDIA H100 80GB HBM3, 81559, 0, 0
            5, GPU-0e7a3f2d-6b8c-9d0e-3f4a-5b6c7d8e9f0a, NVIDIA H100 80GB HBM3, 81559, 0, 0
            6, GPU-1f8b4a3e-7c9d-0e1f-4a5b-6c7d8e9f0a1b, NVIDIA H100 80GB HBM3, 81559, 0, 0
            7, GPU-2a9c5b4f-8d0e-1f2a-5b6c-7d8e9f0a1b2c, NVIDIA H100 80GB HBM3, 81559, 0, 0
            """;

    /** A workstation where utilisation is not supported (older or consumer boards say [N/A] / [Not Supported]). */
    static final String MIXED_WORKSTATION = """
            0, GPU-a1b2c3d4-0000-1111-2222-333344445555, NVIDIA GeForce RTX 4090, 24564, 1234, 13
            1, GPU-b2c3d4e5-0000-1111-2222-333344445555, Tesla K80, 11441, [N/A], [Not Supported]
            """;

    @Test
    @DisplayName("parses an H100 node's --query-gpu CSV into devices with memory and utilisation")
    void parsesH100Node() {
        List<GpuDevice> devices = NvidiaSmi.parseGpus(H100_NODE);

        assertThat(devices).hasSize(8).extracting(GpuDevice::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        GpuDevice busy = devices.get(2);
        assertThat(busy.uuid()).isEqualTo("GPU-7b4d0c9a-3e5f-6a7b-0c1d-2e3f4a5b6c7d");
        assertThat(busy.name()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(busy.memoryTotalMb()).isEqualTo(OptionalLong.of(81559));
        assertThat(busy.memoryUsedMb()).isEqualTo(OptionalLong.of(40960));
        assertThat(busy.memoryFreeMb()).isEqualTo(OptionalLong.of(81559 - 40960));
        assertThat(busy.utilizationPercent()).isEqualTo(OptionalDouble.of(97));
        assertThat(busy.key()).isEqualTo("gpu2");
    }

    @Test
    @DisplayName("reads [N/A] and [Not Supported] as unknown values, not as errors")
    void readsUnsupportedFieldsAsUnknown() {
        List<GpuDevice> devices = NvidiaSmi.parseGpus(MIXED_WORKSTATION);

        assertThat(devices.get(0).utilizationPercent()).isEqualTo(OptionalDouble.of(13));
        assertThat(devices.get(1).name()).isEqualTo("Tesla K80");
        assertThat(devices.get(1).memoryUsedMb()).isEmpty();
        assertThat(devices.get(1).utilizationPercent()).isEmpty();
        assertThat(devices.get(1).memoryFreeMb()).isEqualTo(OptionalLong.of(11441));
    }

    @Test
    @DisplayName("rejects a line that is not the six queried fields, quoting it")
    void rejectsMalformedLine() {
        assertThatThrownBy(() -> NvidiaSmi.parseGpus("0, GPU-x, NVIDIA H100 80GB HBM3, 81559\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 6 fields")
                .hasMessageContaining("\"0, GPU-x, NVIDIA H100 80GB HBM3, 81559\"");
    }

    @Test
    @DisplayName("parses --query-compute-apps, with and without running processes")
    void parsesComputeApps() {
        assertThat(NvidiaSmi.parseComputeProcesses("184467, 40958\n184512, 1024\n"))
                .containsExactly(new NvidiaSmi.ComputeProcess(184467, OptionalLong.of(40958)),
                        new NvidiaSmi.ComputeProcess(184512, OptionalLong.of(1024)));
        assertThat(NvidiaSmi.parseComputeProcesses("")).isEmpty();
        assertThat(NvidiaSmi.parseComputeProcesses("4242, [N/A]\n"))
                .containsExactly(new NvidiaSmi.ComputeProcess(4242, OptionalLong.empty()));
    }

    @Test
    @DisplayName("honours CUDA_VISIBLE_DEVICES: unset, indexes in its order, UUID prefixes, empty and -1, an invalid entry")
    void honoursCudaVisibleDevices() {
        List<GpuDevice> all = NvidiaSmi.parseGpus(H100_NODE);

        assertThat(NvidiaSmi.applyCudaVisibleDevices(all, null)).hasSize(8);
        assertThat(NvidiaSmi.applyCudaVisibleDevices(all, "0,2")).extracting(GpuDevice::index).containsExactly(0, 2);
        assertThat(NvidiaSmi.applyCudaVisibleDevices(all, "3,1")).extracting(GpuDevice::index).containsExactly(3, 1);
        assertThat(NvidiaSmi.applyCudaVisibleDevices(all, "GPU-7b4d0c9a,8c5e1d0b"))
                .extracting(GpuDevice::index).containsExactly(2, 3);
        assertThat(NvidiaSmi.applyCudaVisibleDevices(all, "")).isEmpty();
        assertThat(NvidiaSmi.applyCudaVisibleDevices(all, "-1")).isEmpty();
        // CUDA stops at the first entry that names no device
        assertThat(NvidiaSmi.applyCudaVisibleDevices(all, "0,9,1")).extracting(GpuDevice::index).containsExactly(0);
    }

    @Test
    @DisplayName("discovers devices by running nvidia-smi, restricted to CUDA_VISIBLE_DEVICES")
    void discoversByRunningIt(@TempDir Path dir) throws Exception {
        Path smi = fakeNvidiaSmi(dir, H100_NODE);

        GpuInventory inventory = new NvidiaSmi(smi.toString()).discover("1,3");

        assertThat(inventory.source()).isEqualTo(GpuInventory.Source.DISCOVERED);
        assertThat(inventory.indexes()).containsExactly(1, 3);
        assertThat(inventory.detail()).isEqualTo("2 GPU(s) discovered with nvidia-smi (CUDA_VISIBLE_DEVICES=1,3)");
    }

    @Test
    @DisplayName("finds no GPU, with the reason, where nvidia-smi is missing, fails, or everything is hidden")
    void findsNoGpuWithReason(@TempDir Path dir) throws Exception {
        assertThat(new NvidiaSmi(dir.resolve("no-such-nvidia-smi").toString()).discover(null).detail())
                .startsWith("nvidia-smi is not available here");

        Path failing = dir.resolve("failing-smi");
        Files.writeString(failing, "#!/bin/sh\necho 'NVIDIA-SMI has failed because it couldn'\"'\"'t communicate with the NVIDIA driver.'\nexit 9\n");
        failing.toFile().setExecutable(true);
        assertThat(new NvidiaSmi(failing.toString()).discover(null).detail())
                .startsWith("nvidia-smi exited with 9: NVIDIA-SMI has failed");

        GpuInventory hidden = new NvidiaSmi(fakeNvidiaSmi(dir, H100_NODE).toString()).discover("");
        assertThat(hidden.isEmpty()).isTrue();
        assertThat(hidden.detail()).isEqualTo("CUDA_VISIBLE_DEVICES=\"\" hides all 8 GPU(s) nvidia-smi lists");
    }

    static Path fakeNvidiaSmi(Path dir, String output) throws Exception {
        Path data = dir.resolve("gpus.csv");
        Files.writeString(data, output);
        Path script = dir.resolve("nvidia-smi");
        Files.writeString(script, "#!/bin/sh\ncase \"$1\" in --query-gpu=*) cat '" + data + "';; *) ;; esac\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
