package dev.dyno;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Recorder;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/**
 * {@code @PerfTest} marks a method as a performance test: a JUnit {@link Test} tagged
 * {@value #TAG} whose {@link Recorder} parameter receives a fresh recorder, whose
 * {@link #thresholds()} are checked after it returns, and whose metrics are reported to Allure,
 * to the console and to a results file. It is {@code @Test} plus {@link Perf @Perf}; for a
 * {@code @ParameterizedTest} or {@code @RepeatedTest}, use {@code @Perf} beside it.
 *
 * <pre>{@code
 * class SchedulerPerformanceTest {
 *     @PerfTest(thresholds = {"schedule.total max < 2s", "locks.acquired <= 25"})
 *     void schedules100ContainersOn20Workers(Recorder recorder) {
 *         recorder.time("schedule.total", () -> scheduler.scheduleAll(requests));
 *         assertThat(recorder.snapshot().distribution("containers.per.worker").orElseThrow())
 *                 .isBalancedWithin(0.5);
 *     }
 * }
 * }</pre>
 *
 * <h2>Workloads</h2>
 * A parameter of type {@code dev.dyno.runtime.WorkloadRuntime} (from the runtimes module) receives a runtime of the test's
 * own: Docker when an engine answers, else local processes (configuration parameter
 * {@value DynoConfiguration#RUNTIME_PROPERTY}). Everything started through it is stopped when the test ends, and the
 * workloads' logs are attached to the report when the test fails.
 *
 * <h2>Meta-annotation</h2>
 * {@code @PerfTest} may be put on an annotation of your own, such as a {@code @NightlyPerf} that
 * adds tags; Dyno finds it there too.
 *
 * <h2>Reports</h2>
 * Results go to the directory named by the configuration parameter {@value #RESULTS_DIR_PROPERTY}
 * (default {@value DynoConfiguration#DEFAULT_RESULTS_DIR}); Allure results to allure-junit5's
 * {@code allure.results.directory}.
 *
 * @since 0.1
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@Perf
@API(status = EXPERIMENTAL, since = "0.1")
public @interface PerfTest {

    /** The tag every perf test carries, to select or exclude them ({@code -Dgroups=perf}). */
    String TAG = "perf";

    /** Configuration parameter naming the directory for results files; see {@link DynoConfiguration}. */
    String RESULTS_DIR_PROPERTY = DynoConfiguration.RESULTS_DIR_PROPERTY;

    /**
     * Expectations checked after the method returns, each
     * {@code <metric> [<statistic>] <comparator> <value>}, such as {@code "schedule.total p99 < 2s"}
     * or {@code "locks.acquired <= 25"}. A failure lists every breached threshold with its actual
     * value. See {@link dev.dyno.assertions.Threshold} for the statistics of each kind of metric.
     */
    String[] thresholds() default {};
}
