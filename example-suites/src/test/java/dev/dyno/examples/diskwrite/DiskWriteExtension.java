package dev.dyno.examples.diskwrite;

import dev.dyno.examples.diskwrite.DiskWriteRun.Block;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Timer;
import dev.dyno.spi.Capability;
import dev.dyno.spi.CapabilityExtension;
import dev.dyno.view.Attachment;
import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import dev.dyno.view.Series;
import dev.dyno.view.Step;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Runs {@link DiskWrite} through the capability lifecycle: {@link #validate} the attributes and the free space,
 * {@link #run} the writes block size by block size in a directory closed with the test, {@link #report} them as
 * metrics, charts, a CSV and steps.
 */
// tag::extension[]
class DiskWriteExtension extends CapabilityExtension<DiskWrite, DiskWritePlan, DiskWriteRun> {

    DiskWriteExtension() {
        super(DiskWrite.class, DiskWriteRun.class);   // the annotation, and the type of the method's parameter
    }
    // end::extension[]

    /** The percentiles the latency chart shows; 100 has no place on a scale of nines. */
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    // tag::validate[]
    @Override
    protected DiskWritePlan validate(DiskWrite annotation, Capability capability) {
        DiskWritePlan plan = DiskWritePlan.of(annotation);           // bad input: ExtensionConfigurationException
        capability.expect("thresholds", annotation.thresholds());   // a malformed threshold fails here too
        long free = plan.directory().toFile().getUsableSpace();
        if (free < plan.fileSizeBytes()) {                            // the machine, not the input: skip, with why
            capability.abort("@DiskWrite needs " + plan.fileSizeMb() + " MiB free in " + plan.directory()
                    + " for its file; there are " + free / (1024 * 1024) + " MiB");
        }
        if (!Files.isWritable(plan.directory())) {
            capability.abort("@DiskWrite cannot write in " + plan.directory());
        }
        return plan;
    }
    // end::validate[]

    // tag::run[]
    @Override
    protected DiskWriteRun run(DiskWritePlan plan, Capability capability) throws IOException {
        // Registered the moment it exists: deleted when the test ends, passed, failed or timed out.
        Path scratch = capability.closeWithTest(ScratchDirectory.in(plan.directory())).path();
        List<Block> blocks = new ArrayList<>();
        for (int sizeKb : plan.blockSizesKb()) {
            blocks.add(writeBlocks(scratch, sizeKb, plan, capability.recorder()));
            if (Thread.currentThread().isInterrupted()) {
                break;   // the test's timeout: return what was measured, the flag still set
            }
        }
        return new DiskWriteRun(Files.getFileStore(scratch).type(), scratch, blocks, plan.blockSizesKb(),
                plan.writes());
    }
    // end::run[]

    /** Writes {@code plan.writes()} blocks round the file, syncing each; stops early when the thread is interrupted. */
    private static Block writeBlocks(Path scratch, int sizeKb, DiskWritePlan plan, Recorder recorder)
            throws IOException {
        int size = sizeKb * 1024;
        ByteBuffer block = ByteBuffer.allocateDirect(size);
        byte[] random = new byte[size];
        new Random(sizeKb).nextBytes(random);   // not zeros: a file system that compresses must still write them
        block.put(random);
        long blocksInFile = plan.fileSizeBytes() / size;
        Timer latency = recorder.timer("disk.write." + Block.label(sizeKb));
        Path file = scratch.resolve(Block.label(sizeKb) + ".bin");
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        long done = 0;
        // tag::interruptible[]
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (done < plan.writes() && !Thread.currentThread().isInterrupted()) {
                long position = (done % blocksInFile) * size;
                long writeStart = System.nanoTime();
                block.rewind();
                while (block.hasRemaining()) {
                    channel.write(block, position + block.position());
                }
                channel.force(false);   // the data on the device, not in the page cache
                latency.recordSince(writeStart);
                done++;
            }
        } catch (ClosedByInterruptException e) {
            // interrupted in a write or a sync: that one is not counted; the interrupt flag stays set
        }
        // end::interruptible[]
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        Files.deleteIfExists(file);   // its space is the next block size's
        recorder.counter("disk.writes").add(done);
        recorder.counter("disk.bytes").add(done * size);
        return new Block(sizeKb, done, start, elapsed, latency.snapshot());
    }

    // tag::report[]
    @Override
    protected void report(DiskWriteRun run, Capability capability) {
        Recorder recorder = capability.recorder();
        recorder.attribute("disk.filesystem", run.fileSystem());
        Chart.Builder latency = Chart.xy("write + fdatasync latency by block size")
                .x(Axis.nines("percentile")).y(Axis.log("latency", "ms"));
        StringBuilder csv = new StringBuilder("block_kib,writes,seconds,mib_per_s,p50_us,p99_us,max_us\n");
        for (Block block : run.blocks()) {
            recorder.gauge("disk.throughput." + block.label()).set(block.mibPerSecond());
            recorder.step(new Step("write " + block.label() + " blocks", block.start(), block.elapsed(),
                    block.writes() == run.writes(), Map.of("writes", String.valueOf(block.writes()),
                            "throughput", String.format(Locale.ROOT, "%.1f MiB/s", block.mibPerSecond()),
                            "p99", block.writes() == 0 ? "-" : DurationText.format(block.latency().percentile(99)))));
            if (block.writes() > 0) {
                double[] millis = new double[PERCENTILES.length];
                for (int i = 0; i < PERCENTILES.length; i++) {
                    millis[i] = block.latency().percentile(PERCENTILES[i]).toNanos() / 1e6;
                }
                latency.series(Series.line(block.label(), PERCENTILES, millis).inGroup(block.label()));
            }
            csv.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.3f,%d,%d,%d%n", block.sizeKb(), block.writes(),
                    block.elapsed().toNanos() / 1e9, block.mibPerSecond(), micros(block, 50), micros(block, 99),
                    block.writes() == 0 ? 0 : block.latency().max().toNanos() / 1000));
        }
        recorder.chart(Chart.bars("fsync'd write throughput by block size (" + run.fileSystem() + ")")
                .x(Axis.linear("block size")).y(Axis.linear("throughput", "MiB/s"))
                .bars("throughput", run.blocks().stream().map(Block::label).toList(),
                        run.blocks().stream().mapToDouble(Block::mibPerSecond).toArray())
                .build());
        recorder.chart(latency.build());
        recorder.attach(Attachment.text("disk-write.csv", "text/csv", ".csv", csv.toString()));
    }
    // end::report[]

    private static long micros(Block block, double percentile) {
        return block.writes() == 0 ? 0 : block.latency().percentile(percentile).toNanos() / 1000;
    }
}
