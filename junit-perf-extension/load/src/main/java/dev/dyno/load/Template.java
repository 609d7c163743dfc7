package dev.dyno.load;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path, header value or body with {@code {name}} (a feed column) and {@code ${env:NAME}} (an
 * environment variable) in it; {@link #text()} is what was written, the only form ever shown.
 * Rendered once per feed row before a run, never while load is sent.
 */
record Template(String attribute, String text, List<Part> parts) {

    private static final Pattern PLACEHOLDER = Pattern.compile(
            "\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}|\\{([A-Za-z_][A-Za-z0-9_.-]*)}");

    /** Literal text, a feed column, or an environment value (its value once known). */
    sealed interface Part {
    }

    record Literal(String text) implements Part {
    }

    record Variable(String name) implements Part {
    }

    record Environment(String name, String value) implements Part {
    }

    static Template literal(String text) {
        return new Template("", text, List.of(new Literal(text)));
    }

    static Template parse(String attribute, String text) {
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(new Literal(text.substring(at, m.start())));
            }
            parts.add(m.group(1) != null ? new Environment(m.group(1), null) : new Variable(m.group(2)));
            at = m.end();
        }
        if (at < text.length()) {
            parts.add(new Literal(text.substring(at)));
        }
        return new Template(attribute, text, List.copyOf(parts));
    }

    Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        parts.forEach(p -> {
            if (p instanceof Variable v) {
                names.add(v.name());
            }
        });
        return names;
    }

    Set<String> environment() {
        Set<String> names = new LinkedHashSet<>();
        parts.forEach(p -> {
            if (p instanceof Environment e) {
                names.add(e.name());
            }
        });
        return names;
    }

    Template withEnvironment(Map<String, String> values) {
        return new Template(attribute, text, parts.stream()
                .map(p -> p instanceof Environment e ? new Environment(e.name(), values.get(e.name())) : p).toList());
    }

    /** The text with {@code row}'s values and the environment's filled in. */
    String render(Map<String, String> row) {
        if (parts.size() == 1 && parts.get(0) instanceof Literal l) {
            return l.text();
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (Part p : parts) {
            if (p instanceof Literal l) {
                out.append(l.text());
            } else if (p instanceof Variable v) {
                out.append(row.get(v.name()));
            } else {
                out.append(((Environment) p).value());
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
