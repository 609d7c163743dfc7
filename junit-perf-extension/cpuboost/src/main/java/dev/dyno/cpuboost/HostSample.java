package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * One reading of the whole machine during an experiment, as the guide's memory-pressure check
 * takes them.
 *
 * @param offset        time since the experiment began
 * @param busyCores     CPU the machine used since the previous reading (all processes), in cores
 * @param memoryPercent memory in use (total less available), in percent of total
 * @param swapPercent   swap in use, in percent of total swap; 0 without swap
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record HostSample(Duration offset, double busyCores, double memoryPercent, double swapPercent) {

    /** The guide's warning level for memory: above 90 %. */
    public static final double HIGH_MEMORY_PERCENT = 90;

    /** The guide's warning level for swap: above 10 %. */
    public static final double HIGH_SWAP_PERCENT = 10;
}
