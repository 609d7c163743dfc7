package dev.dyno.load;

import static dev.dyno.load.LoadPlan.bad;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.load.LoadProfile.Check;
import dev.dyno.load.LoadProfile.Feed;
import dev.dyno.load.LoadProfile.Http;
import dev.dyno.load.LoadProfile.Request;
import dev.dyno.metrics.DurationText;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * What an {@link Http} asks to send, checked: the kinds of request with their weights, templates
 * and checks, the feed's rows, the resolve rules and the connection settings. Environment values
 * are read here, once, and kept apart as {@link #secrets()} so that nothing shows them.
 */
record HttpPlan(List<Kind> kinds, boolean mix, Duration timeout, int connections, List<ResolveRule> resolve,
        boolean insecure, List<Map<String, String>> rows, boolean randomRows, String feedDescription,
        Set<String> secrets) {

    /** Metric suffixes of a phase that a request kind's name must not shadow. */
    static final Set<String> RESERVED = Set.of("latency", "service_time", "requests", "ok", "failed", "late",
            "queue_wait", "queued", "abandoned", "failures", "success_rate", "throughput", "offered_rps",
            "achieved_rps");

    /** The most rows × kinds rendered before a run. */
    static final int MAX_RENDERED = 200_000;

    /** One kind of request: templates, expected statuses and checks. */
    record Kind(String name, int weight, String method, Template path, List<Map.Entry<String, Template>> headers,
            Template body, Set<Integer> expectStatus, List<ResponseCheck> checks) {

        boolean needsBody() {
            return checks.stream().anyMatch(ResponseCheck::needsBody);
        }

        /** The request as written, templates and {@code ${env:…}} included: safe to show. */
        String describe() {
            return method + " " + path.text();
        }
    }

    /**
     * curl's {@code --resolve}: connect to {@code address} for {@code host:port}; with a
     * {@code connectPort}, to that port of the address (curl's {@code --connect-to}, for a port-forward).
     */
    record ResolveRule(String host, int port, String address, int connectPort, String source) {
        private static final Pattern FORM = Pattern.compile(
                "([^:\\s\\[\\]]+):(\\d{1,5}):(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+])(?::(\\d{1,5}))?");

        static ResolveRule parse(String text, String source) {
            Matcher m = FORM.matcher(text.strip());
            if (!m.matches() || !port(m.group(2)) || m.group(4) != null && !port(m.group(4))) {
                throw bad(source.equals("http.resolve") ? source : source + " rule", text, "HOST:PORT:ADDRESS with an IP"
                        + " address, as curl's --resolve, such as \"staging.example.test:443:127.0.0.1\" or"
                        + " \"api.example.test:8443:[::1]\", or HOST:PORT:ADDRESS:PORT to connect to another port");
            }
            return new ResolveRule(m.group(1).toLowerCase(Locale.ROOT), Integer.parseInt(m.group(2)), m.group(3),
                    m.group(4) == null ? Integer.parseInt(m.group(2)) : Integer.parseInt(m.group(4)), source);
        }

        private static boolean port(String digits) {
            int port = Integer.parseInt(digits);
            return port >= 1 && port <= 65535;
        }

        boolean matches(String host, int port) {
            return this.host.equalsIgnoreCase(host) && this.port == port;
        }

        @Override
        public String toString() {
            return host + ":" + port + ":" + address + (connectPort != port ? ":" + connectPort : "") + " (" + source + ")";
        }
    }

    /** A single request of a {@link HttpRequestSpec}: no templates, no feed, no checks. */
    static HttpPlan of(HttpRequestSpec spec) {
        List<Map.Entry<String, Template>> headers = spec.headers().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), Template.literal(e.getValue()))).toList();
        String path = spec.uri().getRawPath() == null || spec.uri().getRawPath().isEmpty() ? "/" : spec.uri().getRawPath();
        if (spec.uri().getRawQuery() != null) {
            path += "?" + spec.uri().getRawQuery();
        }
        Kind kind = new Kind("request", 1, spec.method(), Template.literal(path), headers,
                Template.literal(new String(spec.body(), StandardCharsets.UTF_8)), spec.expectedStatus(), List.of());
        return new HttpPlan(List.of(kind), false, spec.timeout(), spec.connections(), List.of(), false,
                List.of(Map.of()), false, "", Set.of());
    }

    /**
     * @param urlPath the path and query of {@link Http#url()}, or null with a service
     */
    static HttpPlan of(Http h, Class<?> testClass, UnaryOperator<String> environment, String urlPath) {
        boolean urlHasPath = urlPath != null && !urlPath.isEmpty() && !urlPath.equals("/");
        Duration timeout = DurationText.parsePositive("@LoadProfile(http.timeout)", h.timeout());
        Set<Integer> statuses = statuses("http.expectStatus", h.expectStatus());
        if (h.connections() < 1 || h.connections() > 10_000) {
            throw bad("http.connections", h.connections(), "a number of connections from 1 to 10000, such as 256");
        }
        List<ResolveRule> resolve = Arrays.stream(h.resolve()).map(r -> ResolveRule.parse(r, "http.resolve")).toList();
        List<ResponseCheck> common = checks("http.checks", h.checks());
        Set<String> secrets = new LinkedHashSet<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<Kind> kinds = new ArrayList<>();
        boolean mix = h.requests().length > 0;
        List<Map.Entry<String, String>> commonHeaders = headers("http.headers", h.headers());
        if (!mix) {
            String path = h.path();
            if (urlHasPath) {
                if (!h.path().equals("/")) {
                    throw bad("http.path", h.path(), "no path beside a URL that has one (" + urlPath + "): give it in one"
                            + " place; a path with {templates} goes in http.path, with http.url naming only the host");
                }
                path = urlPath;
            }
            kinds.add(kind("http", "request", 1, h.method(), path, commonHeaders, h.body(), statuses, common, env));
        } else {
            if (urlHasPath) {
                throw bad("http.url", h.url(), "a URL without a path beside http.requests, such as \""
                        + h.url().substring(0, h.url().length() - urlPath.length()) + "\": each @Request gives its own path");
            }
            List<String> set = new ArrayList<>();
            if (!h.method().equals("GET")) {
                set.add("method");
            }
            if (!h.path().equals("/")) {
                set.add("path");
            }
            if (!h.body().isEmpty()) {
                set.add("body");
            }
            if (!set.isEmpty()) {
                throw bad("http." + set.get(0), "method=" + h.method() + " path=" + h.path(), "no " + String.join(", ", set)
                        + " beside http.requests: give the method, path and body of each @Request");
            }
            Set<String> names = new LinkedHashSet<>();
            for (int i = 0; i < h.requests().length; i++) {
                Request r = h.requests()[i];
                String where = "http.requests[" + i + "]";
                if (!r.name().matches("[A-Za-z][A-Za-z0-9_-]{0,29}") || RESERVED.contains(r.name())) {
                    throw bad(where + ".name", r.name(), "a name of 1 to 30 letters, digits, '_' or '-', starting with a"
                            + " letter, and none of " + new TreeSet<>(RESERVED) + ", such as \"items\"");
                }
                if (!names.add(r.name())) {
                    throw bad(where + ".name", r.name(), "a name used once; each request kind is recorded under its own");
                }
                if (r.weight() < 1 || r.weight() > 1000) {
                    throw bad(where + ".weight", r.weight(), "a weight from 1 to 1000, such as 70");
                }
                List<Map.Entry<String, String>> headers = new ArrayList<>(commonHeaders);
                headers.addAll(headers(where + ".headers", r.headers()));
                List<ResponseCheck> checks = new ArrayList<>(common);
                checks.addAll(checks(where + ".checks", r.checks()));
                kinds.add(kind(where, r.name(), r.weight(), r.method(), r.path(), headers, r.body(),
                        r.expectStatus().length == 0 ? statuses : statuses(where + ".expectStatus", r.expectStatus()),
                        checks, env));
            }
        }
        // Environment values: read once, each one a secret.
        for (Kind kind : kinds) {
            for (Template t : templates(kind)) {
                for (String name : t.environment()) {
                    String value = environment.apply(name);
                    if (value == null) {
                        throw bad(t.attribute(), t.text(), "a template whose ${env:" + name + "} is set: the environment"
                                + " variable " + name + " is not set in this test JVM");
                    }
                    env.put(name, value);
                    if (!value.isEmpty()) {
                        secrets.add(value);
                    }
                }
            }
        }
        Feed feed = h.feed();
        List<Map<String, String>> rows = feed(feed, testClass);
        boolean random;
        switch (feed.order().strip().toLowerCase(Locale.ROOT)) {
            case "circular" -> random = false;
            case "random" -> random = true;
            default -> throw bad("http.feed.order", feed.order(), "circular or random");
        }
        String feedDescription = !feed.file().isBlank() ? feed.file().strip()
                : !feed.method().isBlank() ? feed.method().strip() + "()" : "";
        for (Kind kind : kinds) {
            for (Template t : templates(kind)) {
                for (String variable : t.variables()) {
                    if (rows.isEmpty() || rows.get(0).isEmpty() && feedDescription.isEmpty()) {
                        throw bad(t.attribute(), t.text(), "a template whose {" + variable + "} has a value: give"
                                + " http.feed = @Feed(file = \"...\") or @Feed(method = \"...\") with a column " + variable);
                    }
                    for (int i = 0; i < rows.size(); i++) {
                        if (!rows.get(i).containsKey(variable)) {
                            throw bad(t.attribute(), t.text(), "a template whose {" + variable + "} has a value, but row "
                                    + (i + 1) + " of the feed " + feedDescription + " has no " + variable + "; its columns are "
                                    + rows.get(i).keySet());
                        }
                    }
                }
            }
        }
        if ((long) rows.size() * kinds.size() > MAX_RENDERED) {
            throw bad("http.feed", feedDescription, "at most " + MAX_RENDERED + " rows × request kinds, rendered once"
                    + " before the run; this one has " + rows.size() + " rows × " + kinds.size() + " kinds");
        }
        List<Kind> resolved = kinds.stream().map(k -> withEnvironment(k, env)).toList();
        return new HttpPlan(resolved, mix, timeout, h.connections(), resolve, h.insecure(), rows, random,
                feedDescription, Set.copyOf(secrets));
    }

    private static Kind kind(String where, String name, int weight, String methodText, String path,
            List<Map.Entry<String, String>> headers, String body, Set<Integer> statuses, List<ResponseCheck> checks,
            Map<String, String> env) {
        String method = methodText.strip().toUpperCase(Locale.ROOT);
        if (!HttpRequestSpec.METHODS.contains(method)) {
            throw bad(where + ".method", methodText, "one of " + new TreeSet<>(HttpRequestSpec.METHODS));
        }
        if (!path.startsWith("/") || path.chars().anyMatch(Character::isWhitespace)) {
            throw bad(where + ".path", path, "a path starting with '/' and without spaces, such as \"/generate\"");
        }
        if (!body.isEmpty() && (method.equals("GET") || method.equals("HEAD"))) {
            throw bad(where + ".body", abbreviate(body), "no body with " + method + "; use POST, PUT or PATCH to send one");
        }
        List<Map.Entry<String, Template>> parsed = headers.stream()
                .map(e -> Map.entry(e.getKey(), Template.parse(where + ".headers", e.getValue()))).toList();
        return new Kind(name, weight, method, Template.parse(where + ".path", path), parsed,
                Template.parse(where + ".body", body), statuses, List.copyOf(checks));
    }

    private static Kind withEnvironment(Kind k, Map<String, String> env) {
        return new Kind(k.name(), k.weight(), k.method(), k.path().withEnvironment(env),
                k.headers().stream().map(e -> Map.entry(e.getKey(), e.getValue().withEnvironment(env))).toList(),
                k.body().withEnvironment(env), k.expectStatus(), k.checks());
    }

    private static List<Template> templates(Kind kind) {
        List<Template> all = new ArrayList<>();
        all.add(kind.path());
        kind.headers().forEach(e -> all.add(e.getValue()));
        all.add(kind.body());
        return all;
    }

    private static List<Map.Entry<String, String>> headers(String attribute, String[] headers) {
        List<Map.Entry<String, String>> parsed = new ArrayList<>();
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon < 1 || header.substring(0, colon).isBlank() || header.substring(0, colon).contains(" ")) {
                throw bad(attribute, header, "\"Name: value\", such as \"Authorization: Bearer ${env:TOKEN}\"");
            }
            parsed.add(Map.entry(header.substring(0, colon).strip(), header.substring(colon + 1).strip()));
        }
        return parsed;
    }

    private static Set<Integer> statuses(String attribute, int[] codes) {
        Set<Integer> statuses = Arrays.stream(codes).boxed().collect(Collectors.toCollection(TreeSet::new));
        if (statuses.isEmpty() || statuses.stream().anyMatch(s -> s < 100 || s > 599)) {
            throw bad(attribute, Arrays.toString(codes), "status codes from 100 to 599, such as {200}");
        }
        return statuses;
    }

    private static List<ResponseCheck> checks(String attribute, Check[] checks) {
        List<ResponseCheck> parsed = new ArrayList<>();
        for (int i = 0; i < checks.length; i++) {
            Check c = checks[i];
            String where = attribute + "[" + i + "]";
            List<String> given = new ArrayList<>();
            if (!c.bodyContains().isEmpty()) {
                given.add("bodyContains");
            }
            if (!c.bodyMatches().isEmpty()) {
                given.add("bodyMatches");
            }
            if (!c.jsonPointer().isEmpty()) {
                given.add("jsonPointer");
            }
            if (!c.header().isEmpty()) {
                given.add("header");
            }
            if (given.size() != 1) {
                throw bad(where, given.isEmpty() ? "@Check()" : String.join(" and ", given),
                        "exactly one of bodyContains, bodyMatches, jsonPointer (with equalTo) or header");
            }
            if (!c.equalTo().isEmpty() && c.jsonPointer().isEmpty()) {
                throw bad(where + ".equalTo", c.equalTo(), "equalTo only with jsonPointer");
            }
            switch (given.get(0)) {
                case "bodyContains" -> parsed.add(new ResponseCheck.BodyContains(c.bodyContains()));
                case "bodyMatches" -> {
                    try {
                        parsed.add(new ResponseCheck.BodyMatches(Pattern.compile(c.bodyMatches())));
                    } catch (PatternSyntaxException e) {
                        throw bad(where + ".bodyMatches", c.bodyMatches(), "a regular expression ("
                                + e.getDescription() + " at index " + e.getIndex() + ")");
                    }
                }
                case "jsonPointer" -> {
                    JsonPointer pointer;
                    try {
                        pointer = JsonPointer.compile(c.jsonPointer());
                    } catch (IllegalArgumentException e) {
                        throw bad(where + ".jsonPointer", c.jsonPointer(), "a JSON Pointer such as \"/status\" or"
                                + " \"/items/0/id\" (" + e.getMessage() + ")");
                    }
                    parsed.add(new ResponseCheck.JsonEquals(c.jsonPointer(), pointer, c.equalTo()));
                }
                default -> {
                    if (!c.header().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                        throw bad(where + ".header", c.header(), "a header name such as \"ETag\"");
                    }
                    parsed.add(new ResponseCheck.HeaderPresent(c.header()));
                }
            }
        }
        return parsed;
    }

    private static List<Map<String, String>> feed(Feed feed, Class<?> testClass) {
        boolean file = !feed.file().isBlank();
        boolean method = !feed.method().isBlank();
        if (file && method) {
            throw bad("http.feed", "file = \"" + feed.file() + "\" and method = \"" + feed.method() + "\"",
                    "one of file or method");
        }
        List<Map<String, String>> rows;
        String where;
        if (file) {
            where = "http.feed.file";
            rows = readFile(feed.file().strip());
        } else if (method) {
            where = "http.feed.method";
            rows = invoke(feed.method().strip(), testClass);
        } else {
            return List.of(Map.of());
        }
        if (rows.isEmpty()) {
            throw bad(where, file ? feed.file() : feed.method(), "a feed with at least one row");
        }
        if (rows.size() > Feed.MAX_ROWS) {
            throw bad(where, file ? feed.file() : feed.method(), "a feed of at most " + Feed.MAX_ROWS + " rows; it has "
                    + rows.size());
        }
        return List.copyOf(rows);
    }

    private static List<Map<String, String>> readFile(String name) {
        Path path = Path.of(name);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw bad("http.feed.file", name, "a readable .csv or .jsonl file, relative to the working directory; there is"
                    + " none at " + path.toAbsolutePath().normalize());
        }
        String lower = name.toLowerCase(Locale.ROOT);
        try {
            if (lower.endsWith(".csv")) {
                List<Map<String, String>> rows = new ArrayList<>();
                try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
                     CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                             .setTrim(true).get().parse(in)) {
                    for (CSVRecord record : parser) {
                        if (!record.isConsistent()) {
                            throw bad("http.feed.file", name, "a CSV file whose rows have as many values as its header;"
                                    + " line " + parser.getCurrentLineNumber() + " has " + record.size());
                        }
                        rows.add(Map.copyOf(record.toMap()));
                    }
                }
                return rows;
            }
            if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
                ObjectMapper json = new ObjectMapper();
                List<Map<String, String>> rows = new ArrayList<>();
                List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = json.readTree(lines.get(i));
                    } catch (IOException e) {
                        node = null;
                    }
                    if (node == null || !node.isObject()) {
                        throw bad("http.feed.file", name, "a JSON-lines file, one JSON object a line; line " + (i + 1)
                                + " is not an object");
                    }
                    Map<String, String> row = new LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> field = it.next();
                        row.put(field.getKey(), field.getValue().isValueNode() ? field.getValue().asText()
                                : field.getValue().toString());
                    }
                    rows.add(Map.copyOf(row));
                }
                return rows;
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw bad("http.feed.file", name, "a readable .csv or .jsonl file (" + e.getMessage() + ")");
        }
        throw bad("http.feed.file", name, "a file ending in .csv (with a header row) or .jsonl (one JSON object a line)");
    }

    private static List<Map<String, String>> invoke(String name, Class<?> testClass) {
        Method method = ReflectionSupport.findMethod(testClass, name).filter(m -> Modifier.isStatic(m.getModifiers()))
                .orElseThrow(() -> bad("http.feed.method", name, "the name of a static method of "
                        + testClass.getSimpleName() + " without parameters returning a List or Stream of Maps"));
        Object made = ReflectionSupport.invokeMethod(method, null);
        Stream<?> items;
        if (made instanceof Stream<?> stream) {
            items = stream;
        } else if (made instanceof Iterable<?> iterable) {
            items = java.util.stream.StreamSupport.stream(iterable.spliterator(), false);
        } else {
            throw bad("http.feed.method", name, "a method returning a List or Stream of Maps, not "
                    + (made == null ? "null" : made.getClass().getSimpleName()));
        }
        List<Map<String, String>> rows = new ArrayList<>();
        try (Stream<?> s = items) {
            Iterator<?> it = s.limit(Feed.MAX_ROWS + 1L).iterator();
            while (it.hasNext()) {
                Object item = it.next();
                if (!(item instanceof Map<?, ?> map)) {
                    throw bad("http.feed.method", name, "a method returning Maps of column to value, not "
                            + (item == null ? "null" : item.getClass().getSimpleName()) + " elements");
                }
                Map<String, String> row = new LinkedHashMap<>();
                map.forEach((k, v) -> row.put(String.valueOf(k), String.valueOf(v)));
                rows.add(row);
            }
        }
        return rows;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** Replaces every secret in {@code text} with {@code ***}. */
    String mask(String text) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "***");
        }
        return masked;
    }
}
