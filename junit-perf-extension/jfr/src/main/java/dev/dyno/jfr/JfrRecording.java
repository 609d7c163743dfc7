package dev.dyno.jfr;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.config.DynoConfiguration;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @JfrRecording} records the test's own JVM with Java Flight Recorder while a
 * {@link dev.dyno.PerfTest @PerfTest} method runs, to answer "why was it slow" from inside the test.
 *
 * <pre>{@code
 * @PerfTest(thresholds = {"jfr.gc.pause max < 50ms", "jfr.allocation.bytes.test_thread < 64MB"})
 * @JfrRecording(events = "jdk.JavaMonitorEnter")
 * void importsOrders(Recorder recorder, JfrEvents jfr) {
 *     importer.importAll(orders);
 *     JfrAssertions.assertThat(jfr).monitorEnters().on(OrderBook.class).noneLongerThan(Duration.ofMillis(10));
 * }
 * }</pre>
 *
 * <h2>What it gives</h2>
 * <ul>
 * <li>The recording, started right before the method and stopped right after it (not around
 *     {@code @BeforeEach}), kept as a {@code .jfr} file under {@code <results dir>/jfr/} and attached
 *     to the Allure entry, for JDK Mission Control or {@code jfr print}.</li>
 * <li>Recorder metrics that thresholds and assertions can name: see {@link JfrMetrics}.</li>
 * <li>A parameter of type {@link JfrEvents}, to assert on single events with {@link JfrAssertions}.</li>
 * <li>Flame graphs as self-contained HTML attachments: CPU, and allocation with
 *     {@link #allocationProfile()}, from async-profiler where it loads, else from JFR's own samples;
 *     by default only when the test fails or breaches a threshold, see {@link #FLAMEGRAPHS_PROPERTY}.
 *     The report's attribute {@code jfr.flamegraph.source} says which was used.</li>
 * <li>With {@link #compare()} or a {@link dev.dyno.stats.Comparison} in the method: where the time
 *     went, old against new, as a table of the methods whose share changed most and a flame graph per side.</li>
 * </ul>
 *
 * <h2>Scope</h2>
 * The recording is of the whole JVM: tests running in parallel show up in its events, in
 * {@code jfr.allocation.bytes} and in the flame graphs; {@code jfr.allocation.bytes.test_thread}
 * is the test's own thread only.
 *
 * <h2>Errors</h2>
 * A settings name or an event type that this JVM does not know fails the test before the method
 * runs, naming the value and what exists; so does {@code @JfrRecording} on a method that is not a
 * {@code @PerfTest}.
 *
 * @since 0.2
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(JfrRecordingExtension.class)
@API(status = EXPERIMENTAL, since = "0.2")
public @interface JfrRecording {

    /** The JFR configuration recorded by default: the JDK's {@code profile}, about 2 % overhead by its own account. */
    String DEFAULT_SETTINGS = "profile";

    /**
     * Configuration parameter choosing when flame graphs are attached: {@code on-failure} (the
     * default: when the test fails or breaches a threshold), {@code always} or {@code never}
     * ({@code never} also leaves async-profiler unloaded). See {@link DynoConfiguration}.
     */
    String FLAMEGRAPHS_PROPERTY = DynoConfiguration.JFR_FLAMEGRAPHS_PROPERTY;

    /**
     * The JDK's JFR configuration to record with, by name: {@code profile} (the default) or
     * {@code default} (lighter, about 1 %). Dyno always adds what its metrics need: every
     * compilation, class-loading statistics at the start and end, CPU load every 100 ms.
     */
    String settings() default DEFAULT_SETTINGS;

    /**
     * Event types to record in full: enabled with no duration threshold and with stack traces,
     * such as {@code "jdk.JavaMonitorEnter"} (which {@code profile} records from 10 ms on) or
     * {@code "jdk.ThreadPark"}.
     */
    String[] events() default {};

    /** Also attach an allocation flame graph: where the test's allocated bytes come from. */
    boolean allocationProfile() default false;

    /**
     * Two sides to compare, old against new: the names of the phases or steps the method recorded
     * that the baseline ran in, then those of the variant, {@code *} for any text, such as
     * {@code {"old: *", "new: *"}}. A phase matches by its name or its path. The recording's
     * samples that fall in each side's time are compared: the report gets the table
     * {@value JfrMetrics#WHERE_THE_TIME_WENT}, the five methods whose share of the samples changed
     * most, grown first, and, with the flame graphs, one flame graph per side.
     *
     * <p>Left empty (the default), a {@link dev.dyno.stats.Comparison} recorded into the test's
     * recorder ({@code recordInto}) is compared: its measured baseline trials against its variant
     * trials, warm-ups left out. Without one, nothing is compared. A name that matches no phase or
     * step fails the test after the method, naming those that were recorded.
     *
     * @since 0.2
     */
    String[] compare() default {};
}
