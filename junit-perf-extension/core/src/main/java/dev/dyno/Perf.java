package dev.dyno;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.Recorder;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @Perf} makes a test a performance test without saying what kind of test it is: put it
 * beside {@code @ParameterizedTest}, {@code @RepeatedTest}, another {@code @TestTemplate} or
 * {@code @Test}. Each invocation is a perf test of its own: it gets a fresh {@link Recorder}, its
 * {@link #thresholds()} are checked when it returns (a breach fails that invocation only), and it is
 * reported on its own (results file, console, Allure) under its display name, such as
 * {@code [2] n=10000}. {@link PerfTest @PerfTest} is {@code @Test} plus {@code @Perf}.
 *
 * <pre>{@code
 * @ParameterizedTest(name = "n={0}")
 * @ValueSource(ints = {1_000, 10_000, 100_000})
 * @Perf(thresholds = "sort p99 < 500ms")
 * void sorts(int n, Recorder recorder) {            // the Recorder after the arguments
 *     int[] numbers = new Random(n).ints(n).toArray();
 *     recorder.attribute("n", Integer.toString(n));
 *     recorder.time("sort", () -> Arrays.sort(numbers));
 * }
 * }</pre>
 *
 * <h2>Not a test on its own</h2>
 * Like {@code @Timeout}, {@code @Perf} adds to a test: a method with {@code @Perf} alone is not
 * run. On a {@code @TestFactory} it is rejected, since its dynamic tests run after the factory has
 * returned and could not be measured one by one.
 *
 * <h2>Meta-annotation</h2>
 * {@code @Perf} may be put on an annotation of your own; Dyno finds it there too. When a method has
 * both a {@code @Perf} and a {@code @PerfTest} (directly or through annotations of its own), the
 * thresholds of both are checked.
 *
 * @since 0.2
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(PerfTest.TAG)
@ExtendWith({DynoConfigurationExtension.class, PerfTestExtension.class})
@API(status = EXPERIMENTAL, since = "0.2")
public @interface Perf {

    /**
     * Expectations checked after each invocation, written as for {@link PerfTest#thresholds()}, such
     * as {@code "sort p99 < 500ms"}.
     */
    String[] thresholds() default {};
}
