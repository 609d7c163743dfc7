package dev.dyno.metrics;

import dev.dyno.spi.PerfContext;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A deliberate violation for ArchitectureRulesCanFailTests: metrics, near the bottom, reaching up to the SPI. */
public final class MetricsReachingUpToSpi {

    private MetricsReachingUpToSpi() {
    }

    static Recorder recorderOf(ExtensionContext context) {
        return PerfContext.recorder(context);
    }
}
