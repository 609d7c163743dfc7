package dev.dyno.examples.diskwrite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;

/**
 * {@link DiskWrite}, a capability written with Dyno's public SPI only (see docs/write-your-own-capability.md), used
 * as a test would use it.
 */
@DisplayName("Disk writes (a capability of your own: docs/write-your-own-capability.md)")
class DiskWriteTest {

    // tag::usage[]
    @DiskWrite(blockSizesKb = {4, 64, 1024}, writes = 64, fileSizeMb = 16,
            thresholds = {"disk.write.4KiB p99 < 2s", "disk.throughput.1024KiB > 0"})
    @DisplayName("fsync'd writes: a larger block carries more data per sync")
    void largerBlocksCarryMoreDataPerSync(DiskWriteRun run) {
        assertThat(run.complete()).isTrue();
        assertThat(run.block(1024).mibPerSecond()).isGreaterThan(run.block(4).mibPerSecond());
    }
    // end::usage[]
}
