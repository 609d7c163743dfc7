package dev.dyno.jfr;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the events of a recording, narrowed step by step to a type and a class, in the
 * spirit of JfrUnit.
 *
 * <pre>{@code
 * JfrAssertions.assertThat(jfr).monitorEnters().on(OrderBook.class).noneLongerThan(Duration.ofMillis(10));
 * JfrAssertions.assertThat(jfr).events("jdk.GarbageCollection").hasCountAtLeast(1);
 * }</pre>
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public class JfrEventsAssert extends AbstractAssert<JfrEventsAssert, List<RecordedEvent>> {

    private static final int SHOWN = 5;

    private final JfrEvents source;
    private final String what;

    JfrEventsAssert(JfrEvents source, List<RecordedEvent> events, String what) {
        super(events, JfrEventsAssert.class);
        this.source = source;
        this.what = what;
    }

    /**
     * Narrows to the events of one type.
     *
     * <pre>{@code
     * assertThat(jfr).events("jdk.ThreadPark").hasNone();
     * }</pre>
     *
     * @throws IllegalArgumentException when this JVM has no such event type, naming those it has
     */
    public JfrEventsAssert events(String type) {
        return new JfrEventsAssert(source, source.events(type), type + " events");
    }

    /**
     * Narrows to the times a thread blocked entering a contended {@code synchronized} monitor
     * ({@code jdk.JavaMonitorEnter}).
     *
     * <pre>{@code
     * assertThat(jfr).monitorEnters().noneLongerThan(Duration.ofMillis(10));
     * }</pre>
     */
    public JfrEventsAssert monitorEnters() {
        return new JfrEventsAssert(source, source.events("jdk.JavaMonitorEnter"), "monitor enters");
    }

    /**
     * Narrows to the events about instances of {@code type}: the monitor's class of a monitor
     * event, the object's class of an allocation event (any field of the event that holds a class).
     *
     * <pre>{@code
     * assertThat(jfr).monitorEnters().on(OrderBook.class).hasNone();
     * }</pre>
     */
    public JfrEventsAssert on(Class<?> type) {
        Objects.requireNonNull(type, "type");
        return new JfrEventsAssert(source, actual.stream().filter(e -> isAbout(e, type)).toList(),
                what + " on " + type.getName());
    }

    /**
     * Verifies there are at least {@code expected} events.
     *
     * <pre>{@code
     * assertThat(jfr).events("jdk.GarbageCollection").hasCountAtLeast(1);
     * }</pre>
     */
    public JfrEventsAssert hasCountAtLeast(long expected) {
        if (actual.size() < expected) {
            throwAssertionError(ShouldHaveEvents.shouldHaveAtLeast(what, expected, actual.size()));
        }
        return this;
    }

    /**
     * Verifies there is no event.
     *
     * <pre>{@code
     * assertThat(jfr).monitorEnters().on(OrderBook.class).hasNone();
     * }</pre>
     */
    public JfrEventsAssert hasNone() {
        if (!actual.isEmpty()) {
            throwAssertionError(ShouldHaveEvents.shouldHaveNone(what, actual.size(), describe(actual.get(0))));
        }
        return this;
    }

    /**
     * Verifies no event lasted longer than {@code limit}; the failure lists the longest, with
     * their thread and where they happened.
     *
     * <pre>{@code
     * assertThat(jfr).monitorEnters().on(OrderBook.class).noneLongerThan(Duration.ofMillis(10));
     * }</pre>
     */
    public JfrEventsAssert noneLongerThan(Duration limit) {
        List<RecordedEvent> longer = actual.stream().filter(e -> e.getDuration().compareTo(limit) > 0)
                .sorted(Comparator.comparing((RecordedEvent e) -> e.getDuration()).reversed()).toList();
        if (!longer.isEmpty()) {
            throwAssertionError(ShouldNotLastLongerThan.shouldNotLastLongerThan(what, limit, longer.size(),
                    longer.stream().limit(SHOWN).map(event -> describe(event)).toList()));
        }
        return this;
    }

    /** {@code monitorEnters().noneLongerThan(limit)}: no thread blocked longer on any monitor. */
    public JfrEventsAssert noMonitorEnterLongerThan(Duration limit) {
        return monitorEnters().noneLongerThan(limit);
    }

    /** One line: duration, thread, the class it is about, and the top frame. */
    static String describe(RecordedEvent event) {
        StringBuilder line = new StringBuilder(dev.dyno.metrics.DurationText.format(event.getDuration()));
        if (event.getThread() != null) {
            line.append(" on thread \"").append(event.getThread().getJavaName()).append('"');
        }
        for (ValueDescriptor field : event.getFields()) {
            if (event.getValue(field.getName()) instanceof RecordedClass type) {
                line.append(", ").append(field.getName()).append(' ').append(type.getName());
            }
        }
        if (event.getStackTrace() != null) {
            event.getStackTrace().getFrames().stream().filter(RecordedFrame::isJavaFrame).findFirst()
                    .ifPresent(f -> line.append(", at ").append(f.getMethod().getType().getName()).append('.')
                            .append(f.getMethod().getName()).append(':').append(f.getLineNumber()));
        }
        return line.toString();
    }

    private static boolean isAbout(RecordedEvent event, Class<?> type) {
        for (ValueDescriptor field : event.getFields()) {
            if (event.getValue(field.getName()) instanceof RecordedClass recorded
                    && recorded.getName().equals(type.getName())) {
                return true;
            }
        }
        return false;
    }
}
