package dev.dyno.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The latencies of one tick of the generator: recorded by every thread that sees an answer, read
 * once a tick as an interval histogram that is recycled, so sampling allocates nothing per tick.
 * HdrHistogram's {@link Recorder} does the phasing; this class keeps that name out of files that
 * use Dyno's own recorder.
 */
final class TickLatency {

    private final Recorder recorder;
    private final long highestNanos;

    TickLatency(long highestNanos) {
        this.recorder = new Recorder(1, highestNanos, 3);
        this.highestNanos = highestNanos;
    }

    /** One latency, clamped into the histogram's range. */
    void record(long latencyNanos) {
        recorder.recordValue(Math.min(Math.max(1, latencyNanos), highestNanos));
    }

    /** The latencies since the last call, into {@code recycled} when given. */
    Histogram interval(Histogram recycled) {
        return recorder.getIntervalHistogram(recycled);
    }
}
