package dev.dyno.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads GPUs and their compute processes from {@code nvidia-smi}'s CSV queries, and applies a
 * {@code CUDA_VISIBLE_DEVICES} value to what it lists. Parsing is separate from running, so it is
 * tested on real output.
 */
final class NvidiaSmi {

    static final List<String> QUERY_GPUS = List.of("nvidia-smi",
            "--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu", "--format=csv,noheader,nounits");
    static final List<String> QUERY_COMPUTE_APPS = List.of("nvidia-smi",
            "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits");

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** One compute process: a pid holding a CUDA context, and the device memory it uses. */
    record ComputeProcess(long pid, OptionalLong usedMemoryMb) {
    }

    /** What running nvidia-smi gave: its output, or why there is none. */
    record Result(Optional<String> output, String problem) {
        static Result ok(String output) {
            return new Result(Optional.of(output), "");
        }

        static Result failed(String problem) {
            return new Result(Optional.empty(), problem);
        }
    }

    private final String executable;

    NvidiaSmi(String executable) {
        this.executable = executable;
    }

    /** nvidia-smi from the PATH. */
    static NvidiaSmi onPath() {
        return new NvidiaSmi("nvidia-smi");
    }

    /** The GPUs this JVM may use: nvidia-smi's list, restricted to {@code cudaVisibleDevices} when set. */
    GpuInventory discover(String cudaVisibleDevices) {
        Result result = run(QUERY_GPUS);
        if (result.output().isEmpty()) {
            return GpuInventory.none(result.problem());
        }
        List<GpuDevice> all;
        try {
            all = parseGpus(result.output().get());
        } catch (IllegalArgumentException e) {
            return GpuInventory.none("nvidia-smi answered with output Dyno cannot read: " + e.getMessage());
        }
        if (all.isEmpty()) {
            return GpuInventory.none("nvidia-smi lists no GPU");
        }
        List<GpuDevice> visible = applyCudaVisibleDevices(all, cudaVisibleDevices);
        if (visible.isEmpty()) {
            return GpuInventory.none("CUDA_VISIBLE_DEVICES=\"" + cudaVisibleDevices + "\" hides all " + all.size()
                    + " GPU(s) nvidia-smi lists");
        }
        String detail = visible.size() + " GPU(s) discovered with nvidia-smi"
                + (cudaVisibleDevices == null ? "" : " (CUDA_VISIBLE_DEVICES=" + cudaVisibleDevices + ")");
        return new GpuInventory(visible, GpuInventory.Source.DISCOVERED, detail);
    }

    /** Per-device memory and utilisation now; empty when nvidia-smi does not answer. */
    Optional<List<GpuDevice>> query() {
        return run(QUERY_GPUS).output().map(NvidiaSmi::parseGpus);
    }

    /** The compute processes now; empty when nvidia-smi does not answer. */
    Optional<List<ComputeProcess>> computeProcesses() {
        return run(QUERY_COMPUTE_APPS).output().map(NvidiaSmi::parseComputeProcesses);
    }

    /** Whether nvidia-smi runs here at all. */
    boolean available() {
        return run(QUERY_GPUS).output().isPresent();
    }

    private Result run(List<String> query) {
        List<String> command = new ArrayList<>(query);
        command.set(0, executable);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Result.failed("nvidia-smi is not available here (" + e.getMessage() + ")");
        }
        try {
            // Small output: read it all, then wait; a hung driver must not hang the test.
            var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Result.failed("nvidia-smi did not answer within " + TIMEOUT.toSeconds() + " s");
            }
            String output = reader.get(5, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                return Result.failed("nvidia-smi exited with " + process.exitValue() + ": " + output.strip());
            }
            return Result.ok(output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return Result.failed("interrupted while running nvidia-smi");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            return Result.failed("could not read nvidia-smi's output: " + e);
        }
    }

    /**
     * Parses {@code --query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu
     * --format=csv,noheader,nounits}, such as {@code 0, GPU-5f2b…, NVIDIA H100 80GB HBM3, 81559, 0, 0}.
     * {@code [N/A]} and {@code [Not Supported]} become empty values.
     *
     * @throws IllegalArgumentException quoting a line that is not six fields
     */
    static List<GpuDevice> parseGpus(String csv) {
        List<GpuDevice> devices = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",");
            if (fields.length != 6) {
                throw new IllegalArgumentException("expected 6 fields (index, uuid, name, memory.total, memory.used, "
                        + "utilization.gpu) in line \"" + line.strip() + "\"");
            }
            int index;
            try {
                index = Integer.parseInt(fields[0].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("no device index in line \"" + line.strip() + "\"");
            }
            devices.add(new GpuDevice(index, fields[1].strip(), fields[2].strip(), whole(fields[3]), whole(fields[4]),
                    decimal(fields[5])));
        }
        return devices;
    }

    /** Parses {@code --query-compute-apps=pid,used_memory --format=csv,noheader,nounits}. */
    static List<ComputeProcess> parseComputeProcesses(String csv) {
        List<ComputeProcess> processes = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            if (line.isBlank() || line.strip().startsWith("No running")) {
                continue;
            }
            String[] fields = line.split(",");
            try {
                processes.add(new ComputeProcess(Long.parseLong(fields[0].strip()),
                        fields.length > 1 ? whole(fields[1]) : OptionalLong.empty()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("no pid in line \"" + line.strip() + "\"");
            }
        }
        return processes;
    }

    /**
     * The devices a {@code CUDA_VISIBLE_DEVICES} value leaves, in its order, as CUDA reads it:
     * indexes or UUIDs (unique prefixes allowed, {@code GPU-} optional), up to the first entry that
     * names no device. Unset ({@code null}) leaves all; empty or {@code -1} leaves none.
     */
    static List<GpuDevice> applyCudaVisibleDevices(List<GpuDevice> devices, String cudaVisibleDevices) {
        if (cudaVisibleDevices == null) {
            return devices;
        }
        Set<GpuDevice> visible = new LinkedHashSet<>();
        for (String raw : cudaVisibleDevices.split(",")) {
            String entry = raw.strip();
            Optional<GpuDevice> device = find(devices, entry);
            if (device.isEmpty()) {
                break; // CUDA ignores everything from the first invalid entry on
            }
            visible.add(device.get());
        }
        return List.copyOf(visible);
    }

    private static Optional<GpuDevice> find(List<GpuDevice> devices, String entry) {
        if (entry.matches("\\d+")) {
            int index = Integer.parseInt(entry);
            return devices.stream().filter(d -> d.index() == index).findFirst();
        }
        String wanted = entry.toUpperCase(Locale.ROOT).startsWith("GPU-") ? entry : "GPU-" + entry;
        List<GpuDevice> matches = devices.stream()
                .filter(d -> !wanted.equals("GPU-") && d.uuid().toUpperCase(Locale.ROOT)
                        .startsWith(wanted.toUpperCase(Locale.ROOT)))
                .toList();
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    private static OptionalLong whole(String field) {
        String value = field.strip();
        try {
            return OptionalLong.of(Math.round(Double.parseDouble(value)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // [N/A], [Not Supported]
        }
    }

    private static OptionalDouble decimal(String field) {
        try {
            return OptionalDouble.of(Double.parseDouble(field.strip()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
