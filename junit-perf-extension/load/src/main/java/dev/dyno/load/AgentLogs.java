package dev.dyno.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Merges the HdrHistogram interval logs that {@link LoadAgent}s wrote into one histogram. Adding
 * histograms is exact: the merged percentiles are those of all requests of all agents, as if one
 * generator had sent them, and the merged count is the sum of the agents' counts.
 */
final class AgentLogs {

    private AgentLogs() {
    }

    /** The latency of every successful request in {@code logs}, from each one's intended start. */
    static Histogram mergedLatency(List<Path> logs) {
        Histogram merged = new Histogram(3);
        for (Path log : logs) {
            merged.add(latency(log));
        }
        return merged;
    }

    /** One agent's log, its intervals added up. */
    static Histogram latency(Path log) {
        Histogram total = new Histogram(3);
        try (HistogramLogReader reader = new HistogramLogReader(log.toFile())) {
            for (EncodableHistogram interval = reader.nextIntervalHistogram(); interval != null;
                    interval = reader.nextIntervalHistogram()) {
                if (LoadAgent.LATENCY_TAG.equals(interval.getTag()) && interval instanceof Histogram h) {
                    total.add(h);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the agent log " + log, e);
        }
        return total;
    }
}
