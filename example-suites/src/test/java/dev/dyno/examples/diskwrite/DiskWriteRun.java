package dev.dyno.examples.diskwrite;

import dev.dyno.metrics.TimerSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What a {@link DiskWrite} test measured: one {@link Block} per block size written, in order. After the test's timeout
 * it holds what was measured until then, the last block partly written.
 *
 * @param fileSystem the type of the file system written to, such as {@code ext4}, {@code overlay} or {@code tmpfs}
 * @param directory  the test's own directory, deleted when the test ends
 * @param blocks     the block sizes measured, in the order written
 * @param planned    the block sizes the annotation asked for
 * @param writes     the writes asked for per block size
 */
public record DiskWriteRun(String fileSystem, Path directory, List<Block> blocks, List<Integer> planned, int writes) {

    public DiskWriteRun {
        blocks = List.copyOf(blocks);
        planned = List.copyOf(planned);
    }

    /** Whether every block size was written as many times as asked. */
    public boolean complete() {
        return blocks.size() == planned.size() && blocks.stream().allMatch(b -> b.writes() == writes);
    }

    /** The measurement of one block size. */
    public Block block(int sizeKb) {
        return blocks.stream().filter(b -> b.sizeKb() == sizeKb).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no block of " + sizeKb + " KiB was written; written: "
                        + blocks.stream().map(Block::label).toList()));
    }

    /**
     * The writes of one block size.
     *
     * @param start   when the first write began
     * @param elapsed from the first write to the end of the last sync
     * @param latency each write with its sync
     */
    public record Block(int sizeKb, long writes, Instant start, Duration elapsed, TimerSnapshot latency) {

        /** The metric suffix and display name: {@code 4KiB}. */
        public String label() {
            return label(sizeKb);
        }

        static String label(int sizeKb) {
            return sizeKb + "KiB";
        }

        public long bytes() {
            return writes * sizeKb * 1024L;
        }

        /** MiB written and synced per second; 0 when nothing was. */
        public double mibPerSecond() {
            return elapsed.isZero() ? 0 : bytes() / (1024.0 * 1024.0) / (elapsed.toNanos() / 1e9);
        }
    }
}
