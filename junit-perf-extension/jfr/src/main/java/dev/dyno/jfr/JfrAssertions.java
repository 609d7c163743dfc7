package dev.dyno.jfr;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The entry point of assertions on flight-recorder events.
 *
 * <pre>{@code
 * @PerfTest
 * @JfrRecording(events = "jdk.JavaMonitorEnter")
 * void updatesTheBook(JfrEvents jfr) {
 *     book.updateFrom(eightThreads);
 *     JfrAssertions.assertThat(jfr).monitorEnters().on(OrderBook.class).noneLongerThan(Duration.ofMillis(10));
 * }
 * }</pre>
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class JfrAssertions {

    private JfrAssertions() {
    }

    /** Assertions on every event recorded so far; narrow them with {@code events(type)} or {@code monitorEnters()}. */
    public static JfrEventsAssert assertThat(JfrEvents events) {
        return new JfrEventsAssert(events, events.events(), "events");
    }
}
