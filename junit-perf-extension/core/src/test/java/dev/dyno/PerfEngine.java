package dev.dyno;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.dyno.config.DynoConfiguration;
import java.nio.file.Path;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs a fixture class of perf tests through the Jupiter engine, its results in {@code results}, no history. */
final class PerfEngine {

    private PerfEngine() {
    }

    static EngineExecutionResults run(Class<?> testCase, Path results) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(DynoConfiguration.HISTORY_DIR_PROPERTY, DynoConfiguration.HISTORY_OFF)
                .execute();
    }
}
