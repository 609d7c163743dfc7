package dev.dyno.cpuboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;

import dev.dyno.PerfTest;
import dev.dyno.config.DynoConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Measures how late {@code @CpuBoost} restores the base allocation after a boost's deadline, over
 * 50 restores on each runtime, and prints p50, p95 and the most: from the deadline to the moment
 * the new limit was set (a cgroup file written for a process, the engine's update call returned for
 * a container). Run with {@code -Ddyno.measure=true}: timings belong in measurements, not in unit
 * tests. It asserts only that every boost was restored at its deadline.
 */
@EnabledIfSystemProperty(named = "dyno.measure", matches = "true")
class RestoreLatenessTests {

    static final AtomicReference<CpuBoostRun> SEEN = new AtomicReference<>();

    @TempDir
    Path results;

    @Test
    @DisplayName("measure: how late 50 restores at a 300 ms deadline are, on processes and in containers")
    void measure() {
        StringBuilder report = new StringBuilder();
        for (String method : List.of("processes", "containers")) {
            SEEN.set(null);
            EngineTestKit.engine("junit-jupiter").selectors(selectMethod(Cases.class, method, CpuBoostRun.class.getName()))
                    .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString())
                    .configurationParameter(FixtureCondition.PARAMETER, "true")
                    .configurationParameter(DynoConfiguration.DOCKER_IMAGE_PROPERTY,
                            System.getProperty(DynoConfiguration.DOCKER_IMAGE_PROPERTY, "dyno/jre17-python:local"))
                    .execute().testEvents().assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
            List<BoostedStartResult> boosted = SEEN.get().trials("python3", "boost-2x");
            assertThat(boosted).hasSize(50).allSatisfy(t -> assertThat(t.restoration().trigger())
                    .isEqualTo(Restoration.Trigger.DEADLINE));
            double[] late = boosted.stream().mapToDouble(t -> t.restoration().lateness().orElseThrow().toNanos() / 1e6)
                    .sorted().toArray();
            report.append(String.format(Locale.ROOT, "%-10s %d restores: p50 %.1f ms, p95 %.1f ms, max %.1f ms late%n",
                    method, late.length, late[late.length / 2], late[(int) Math.ceil(late.length * 0.95) - 1],
                    late[late.length - 1]));
        }
        System.out.println("\n=== Dyno restore lateness (" + Runtime.getRuntime().availableProcessors() + " CPUs) ===\n"
                + report);
    }

    /** Busy for 0.6 s: the boost's 300 ms deadline falls while it works. */
    static final String BUSY = "import time\ne=time.time()+0.6\nwhile time.time()<e: pass\n";

    @ExtendWith(FixtureCondition.class)
    static class Cases {

        @CpuBoost(command = {"python3", "-c", BUSY}, runtime = "process", baseCpus = 0.5,
                configurations = {"baseline", "2x/300ms"}, repetitions = 50)
        void processes(CpuBoostRun run) {
            SEEN.set(run);
        }

        @CpuBoost(command = {"python3", "-c", BUSY}, runtime = "docker", baseCpus = 0.5,
                configurations = {"baseline", "2x/300ms"}, repetitions = 50)
        void containers(CpuBoostRun run) {
            SEEN.set(run);
        }
    }
}
