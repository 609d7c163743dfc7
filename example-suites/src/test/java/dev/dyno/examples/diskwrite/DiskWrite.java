package dev.dyno.examples.diskwrite;

import dev.dyno.PerfTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @DiskWrite} measures how fast a file system takes data it must keep: for each block size, {@link #writes()}
 * blocks are written into a file of {@link #fileSizeMb()} and each is forced to the device ({@code fdatasync}) before
 * the next. The method gets the {@link DiskWriteRun}; the recorder gets, per block size, the latency of each write
 * with its sync ({@code disk.write.<size>KiB}, a timer) and the throughput ({@code disk.throughput.<size>KiB}, a gauge
 * in MiB/s), plus {@code disk.writes} and {@code disk.bytes}; the report gets two charts, a CSV and a step per block
 * size.
 *
 * <pre>{@code
 * @DiskWrite(blockSizesKb = {4, 1024}, writes = 64, thresholds = "disk.write.4KiB p99 < 50ms")
 * void journalWrites(DiskWriteRun run) { ... }
 * }</pre>
 *
 * <p>It is an example of a capability written with Dyno's public SPI only ({@code dev.dyno.spi}, {@code dev.dyno.metrics},
 * {@code dev.dyno.view}, {@code DynoAssumptions}); docs/write-your-own-capability.md walks through it. The file lives in
 * a directory of its own, created for the test and deleted when the test ends, however it ends. On a file system kept
 * in memory (tmpfs) the sync costs nothing and the numbers are those of memory: the report names the file system.
 */
// tag::annotation[]
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@PerfTest                                // first: the test's recorder and thresholds exist before the capability runs
@ExtendWith(DiskWriteExtension.class)    // then the capability's lifecycle
public @interface DiskWrite {
// end::annotation[]

    /** The largest block, in KiB: 64 MiB. */
    int MAX_BLOCK_KB = 65_536;

    /** The most writes per block size. */
    int MAX_WRITES = 100_000_000;

    /** The largest file, in MiB: 16 TiB. */
    int MAX_FILE_MB = 16 * 1024 * 1024;

    /** The block sizes to measure, in KiB, each from 1 to {@value #MAX_BLOCK_KB}, each once, in this order. */
    int[] blockSizesKb() default {4, 64, 1024};

    /** How many blocks are written (and synced) per block size, from 1 to {@value #MAX_WRITES}. */
    int writes() default 256;

    /**
     * The size of the file written, in MiB, from 1 to {@value #MAX_FILE_MB}: writes go round it, so it bounds the
     * space used. It must hold the largest block, and the directory must have that much free (else the test is
     * skipped, with the reason).
     */
    int fileSizeMb() default 64;

    /**
     * The directory whose file system is measured; it must exist. Empty (the default) for {@code java.io.tmpdir}. A
     * relative path is resolved against the working directory.
     */
    String directory() default "";

    // tag::thresholds-attribute[]
    /** Thresholds on the metrics above, such as {@code "disk.write.4KiB p99 < 50ms"}, as {@code @PerfTest(thresholds)}. */
    String[] thresholds() default {};
    // end::thresholds-attribute[]
}
