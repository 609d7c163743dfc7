package dev.dyno.examples.diskwrite;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A {@link DiskWrite} checked and resolved: what {@link DiskWriteExtension} runs.
 *
 * @param blockSizesKb the block sizes, in KiB, in the order given
 * @param writes       blocks written per block size
 * @param fileSizeMb   the size of the file the writes go round
 * @param directory    where the test's own directory is created
 */
record DiskWritePlan(List<Integer> blockSizesKb, int writes, int fileSizeMb, Path directory) {

    /** Checks every attribute; bad input fails naming the attribute, the value and what is allowed. */
    static DiskWritePlan of(DiskWrite annotation) {
        int[] sizes = annotation.blockSizesKb();
        if (sizes.length == 0) {
            throw invalid("blockSizesKb", "{}", "at least one block size, such as {4, 64, 1024}");
        }
        for (int size : sizes) {
            if (size < 1 || size > DiskWrite.MAX_BLOCK_KB) {
                throw invalid("blockSizesKb", Arrays.toString(sizes),
                        "each block size from 1 to " + DiskWrite.MAX_BLOCK_KB + " KiB, but " + size + " is not");
            }
        }
        if (Arrays.stream(sizes).distinct().count() != sizes.length) {
            throw invalid("blockSizesKb", Arrays.toString(sizes), "each block size once");
        }
        if (annotation.writes() < 1 || annotation.writes() > DiskWrite.MAX_WRITES) {
            throw invalid("writes", annotation.writes(), "from 1 to " + DiskWrite.MAX_WRITES);
        }
        int largestKb = Arrays.stream(sizes).max().orElseThrow();
        int fileSizeMb = annotation.fileSizeMb();
        if (fileSizeMb < 1 || fileSizeMb > DiskWrite.MAX_FILE_MB || fileSizeMb * 1024L < largestKb) {
            throw invalid("fileSizeMb", fileSizeMb, "from " + Math.max(1, (largestKb + 1023) / 1024) + " (the largest "
                    + "block, " + largestKb + " KiB, must fit) to " + DiskWrite.MAX_FILE_MB);
        }
        return new DiskWritePlan(Arrays.stream(sizes).boxed().toList(), annotation.writes(), fileSizeMb,
                directory(annotation.directory()));
    }

    private static Path directory(String given) {
        String path = given.isEmpty() ? System.getProperty("java.io.tmpdir") : given;
        Path directory;
        try {
            directory = Path.of(path).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw invalid("directory", "\"" + given + "\"", "a path: " + e.getReason());
        }
        if (!Files.isDirectory(directory)) {
            throw invalid("directory", "\"" + given + "\"", "an existing directory; " + directory + " is not one");
        }
        return directory;
    }

    private static ExtensionConfigurationException invalid(String attribute, Object value, String allowed) {
        return new ExtensionConfigurationException("@DiskWrite(" + attribute + ") is " + value + "; it must be "
                + allowed);
    }

    long fileSizeBytes() {
        return fileSizeMb * 1024L * 1024L;
    }
}
