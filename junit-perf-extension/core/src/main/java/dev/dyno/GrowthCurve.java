package dev.dyno;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.Recorder;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @GrowthCurve} shows how the cost of some work grows with its size, across the invocations
 * of a {@code @ParameterizedTest}: each invocation times the work in the timer {@link #metric()} and
 * records its size as the {@link Recorder#attribute recorder attribute} {@link #size()}. It is a
 * {@link Perf @Perf}, so each invocation is also a perf test of its own.
 *
 * <pre>{@code
 * @ParameterizedTest(name = "n={0}")
 * @ValueSource(ints = {1_000, 10_000, 100_000})
 * @GrowthCurve(metric = "sort", size = "n", maxSlope = 1.5)   // n log n is 1.11 here, n² is 2
 * void sorts(int n, Recorder recorder) {
 *     recorder.attribute("n", Integer.toString(n));
 *     for (int round = 0; round < 20; round++) {
 *         int[] numbers = new Random(round).ints(n).toArray();
 *         recorder.time("sort", () -> Arrays.sort(numbers));
 *     }
 * }
 * }</pre>
 *
 * <h2>What it reports</h2>
 * <ul>
 * <li>Each invocation's report (Allure, results file) gets a chart of the timer's p50 and p99
 *     against the size, on log-log axes, with the fitted slope, and the points as CSV: the sizes
 *     measured so far, so the last invocation's chart has every size.</li>
 * <li>When the last invocation has finished, the points and the slope are written to
 *     {@code growth/Class.method-<hash>.json} and {@code .csv} in the results directory
 *     ({@value PerfTest#RESULTS_DIR_PROPERTY}), and a line is printed to the console.</li>
 * </ul>
 *
 * <h2>The slope</h2>
 * On log-log axes, a cost of {@code c·n^k} is a straight line of slope {@code k}: 1 for linear
 * work, 2 for quadratic. {@code n log n} bends slightly upwards: between 1 000 and 100 000 its slope
 * is {@code 1 + ln(5/3)/ln(100) = 1.11}. The slope checked is the least-squares fit of
 * {@code ln(p50)} against {@code ln(size)} over every size measured; the median, not a tail
 * percentile, so that one preempted round on a busy machine does not tilt the line.
 *
 * <h2>When it fails</h2>
 * A slope outside {@link #minSlope()}..{@link #maxSlope()} fails the parameterized test as a whole
 * (its container, once every invocation has run), not one invocation: the claim is about all sizes
 * together. So does a curve of fewer than two sizes when every invocation ran. An invocation that
 * fails or is aborted is left off the curve; one that records no {@link #size()} attribute or no
 * values in the {@link #metric()} timer fails, naming the attribute.
 *
 * @since 0.2
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Perf
@ExtendWith(GrowthCurveExtension.class)
@API(status = EXPERIMENTAL, since = "0.2")
public @interface GrowthCurve {

    /** The timer that measures the work, such as {@code "sort"}; each invocation must record into it. */
    String metric();

    /**
     * The recorder attribute holding each invocation's size, a positive number, such as {@code "n"}
     * for {@code recorder.attribute("n", "10000")}.
     */
    String size();

    /** The largest slope allowed; by default none is checked. */
    double maxSlope() default Double.POSITIVE_INFINITY;

    /**
     * The smallest slope allowed; by default none is checked. A lower bound shows that the timer
     * measures the work at all: a slope near 0 means the cost does not depend on the size.
     */
    double minSlope() default Double.NEGATIVE_INFINITY;
}
