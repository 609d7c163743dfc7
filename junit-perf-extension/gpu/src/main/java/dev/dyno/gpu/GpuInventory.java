package dev.dyno.gpu;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The GPUs a test may use, and where that knowledge came from: discovered with {@code nvidia-smi}
 * (restricted to the JVM's {@code CUDA_VISIBLE_DEVICES}), declared with
 * {@value GpuWorkers#GPUS_PROPERTY}, or none.
 *
 * @param devices devices in index order
 * @param source  how they were found
 * @param detail  a sentence for the report: the nvidia-smi driver line, why none were found, …
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record GpuInventory(List<GpuDevice> devices, Source source, String detail) {

    /** How an inventory was found. */
    public enum Source {
        /** Read from {@code nvidia-smi} on this machine. */
        DISCOVERED,
        /** Declared in {@value GpuWorkers#GPUS_PROPERTY} (or {@link GpuWorkers#inventory()}), not discovered. */
        DECLARED,
        /** No GPU: nvidia-smi is missing or lists none, and none are declared. */
        NONE
    }

    private static final Pattern COUNT = Pattern.compile("\\d+");

    public GpuInventory {
        devices = List.copyOf(devices);
        detail = detail == null ? "" : detail;
    }

    /** No GPU, with the reason. */
    public static GpuInventory none(String why) {
        return new GpuInventory(List.of(), Source.NONE, why);
    }

    public boolean isEmpty() {
        return devices.isEmpty();
    }

    /** The device with this index. */
    public Optional<GpuDevice> device(int index) {
        return devices.stream().filter(d -> d.index() == index).findFirst();
    }

    /** The device indexes, in order. */
    public List<Integer> indexes() {
        return devices.stream().map(GpuDevice::index).toList();
    }

    /**
     * Parses a declared inventory: a count ({@code "4"}: devices 0 to 3), or devices separated by
     * commas, each {@code index[:name[:memoryMiB]]}, such as
     * {@code "0:NVIDIA H100 80GB HBM3:81559,1:NVIDIA H100 80GB HBM3:81559"}. {@code "0"} or
     * {@code "none"} declares that there is no GPU.
     *
     * @param attribute how to name the setting in errors, such as {@code "dyno.gpus"}
     * @throws ExtensionConfigurationException naming the setting, the value and what is allowed
     */
    public static GpuInventory declared(String attribute, String text) {
        String value = text == null ? "" : text.strip();
        if (value.equalsIgnoreCase("none") || value.equals("0")) {
            return new GpuInventory(List.of(), Source.DECLARED, attribute + " declares no GPU");
        }
        List<GpuDevice> devices = new ArrayList<>();
        if (COUNT.matcher(value).matches()) {
            int count = parseCount(attribute, value);
            for (int i = 0; i < count; i++) {
                devices.add(GpuDevice.declared(i, "declared GPU " + i, OptionalLong.empty()));
            }
        } else {
            Set<Integer> seen = new HashSet<>();
            for (String entry : value.split(",")) {
                GpuDevice device = parseEntry(attribute, value, entry.strip());
                if (!seen.add(device.index())) {
                    throw invalid(attribute, value, "declares GPU " + device.index() + " twice");
                }
                devices.add(device);
            }
            devices.sort(java.util.Comparator.comparingInt(GpuDevice::index));
        }
        return new GpuInventory(devices, Source.DECLARED, devices.size() + " GPU(s) declared in " + attribute
                + ", not discovered");
    }

    private static int parseCount(String attribute, String value) {
        try {
            int count = Integer.parseInt(value);
            if (count <= 64) {
                return count;
            }
        } catch (NumberFormatException e) {
            // too large: below
        }
        throw invalid(attribute, value, "declares more than 64 GPUs");
    }

    private static GpuDevice parseEntry(String attribute, String value, String entry) {
        String[] parts = entry.split(":");
        if (entry.isEmpty()) {
            throw invalid(attribute, value, "has an empty entry");
        }
        int index;
        try {
            index = Integer.parseInt(parts[0].strip());
        } catch (NumberFormatException e) {
            throw invalid(attribute, value, "entry \"" + entry + "\" does not start with a device index");
        }
        if (index < 0) {
            throw invalid(attribute, value, "entry \"" + entry + "\" has a negative index");
        }
        if (parts.length == 1) {
            return GpuDevice.declared(index, "declared GPU " + index, OptionalLong.empty());
        }
        String last = parts[parts.length - 1].strip();
        if (parts.length >= 3) {
            if (!last.matches("\\d+")) {
                throw invalid(attribute, value, "entry \"" + entry + "\" has memory \"" + last
                        + "\", not a whole number of MiB");
            }
            String name = String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1)).strip();
            return GpuDevice.declared(index, name, OptionalLong.of(Long.parseLong(last)));
        }
        return GpuDevice.declared(index, last, OptionalLong.empty());
    }

    private static ExtensionConfigurationException invalid(String attribute, String value, String why) {
        return new ExtensionConfigurationException(attribute + " value \"" + value + "\" " + why + "; write a count "
                + "(\"4\"), \"none\", or devices separated by commas as index[:name[:memoryMiB]], such as "
                + "\"0:NVIDIA H100 80GB HBM3:81559,1:NVIDIA H100 80GB HBM3:81559\"");
    }
}
