package dev.dyno.jfr;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/** The event types this JVM's flight recorder knows, to refuse a misspelt name before anything runs. */
final class EventTypes {

    private EventTypes() {
    }

    static Set<String> known() {
        Set<String> names = new TreeSet<>();
        for (EventType type : FlightRecorder.getFlightRecorder().getEventTypes()) {
            names.add(type.getName());
        }
        return names;
    }

    /** Why {@code name} is no event type, or null when it is one. */
    static String unknown(String name) {
        Set<String> known = known();
        if (known.contains(name)) {
            return null;
        }
        List<String> similar = known.stream()
                .filter(k -> k.toLowerCase().contains(simpleName(name).toLowerCase())).toList();
        return "\"" + name + "\" is not a JFR event type of this JVM"
                + (similar.isEmpty() ? "" : "; did you mean " + String.join(" or ", similar) + "?")
                + " Known types: " + String.join(", ", known);
    }

    private static String simpleName(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
