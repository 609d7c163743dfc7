package dev.dyno.load;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicHttpRequest;

/**
 * An {@link HttpTarget}'s requests, built before the run: every kind of the plan rendered for
 * every feed row, and the order in which a run takes them (the mix's kinds by weight, the rows in
 * turn or at random). Sending takes a ready request; nothing is rendered while load is sent.
 */
final class HttpRequestFactory {

    /** One kind of request, ready to send: its requests rendered for every feed row, its statuses and checks. */
    static final class Sendable {
        final String name;
        final boolean[] expected = new boolean[600];
        final ResponseCheck[] checks;
        final boolean needsBody;
        final Rendered[] rows;

        Sendable(HttpPlan.Kind kind, Rendered[] rows) {
            this.name = kind.name();
            kind.expectStatus().forEach(s -> expected[s] = true);
            this.checks = kind.checks().toArray(ResponseCheck[]::new);
            this.needsBody = kind.needsBody();
            this.rows = rows;
        }
    }

    /**
     * One request of one kind and feed row, built before the run. A request without a body is sent
     * as is every time: nothing adds to it or changes it.
     */
    record Rendered(int kind, String method, String path, Header[] headers, byte[] body, ContentType contentType,
            HttpRequest bodiless) {

        HttpRequest request() {
            BasicHttpRequest request = new BasicHttpRequest(method, path);
            request.setHeaders(headers);
            return request;
        }
    }

    private final Sendable[] kinds;
    private final List<String> kindNames;
    /** Which kind each request of a cycle of the mix is: the weights, spread evenly (nginx's smooth weighted round robin). */
    private final int[] mix;
    private final AtomicLong mixCounter = new AtomicLong();
    private final AtomicLong rowCounter = new AtomicLong();
    private final int rows;
    private final boolean randomRows;
    private final boolean anyBody;
    private final String description;

    /**
     * @param base      the scheme and authority, for the description
     * @param authority the {@code Host} header's value, unless a kind names its own
     */
    HttpRequestFactory(HttpPlan plan, String base, String authority) {
        this.kinds = new Sendable[plan.kinds().size()];
        this.anyBody = plan.kinds().stream().anyMatch(k -> !k.body().text().isEmpty());
        for (int k = 0; k < kinds.length; k++) {
            HttpPlan.Kind kind = plan.kinds().get(k);
            Rendered[] rendered = new Rendered[plan.rows().size()];
            // With bodies in the mix, HttpCore adds Content-Length: 0 to a bodiless POST, PUT or PATCH: build those anew.
            boolean shared = !anyBody || !Set.of("POST", "PUT", "PATCH").contains(kind.method());
            for (int r = 0; r < rendered.length; r++) {
                rendered[r] = render(k, kind, plan.rows().get(r), authority, shared);
            }
            kinds[k] = new Sendable(kind, rendered);
        }
        this.kindNames = plan.mix() ? plan.kinds().stream().map(HttpPlan.Kind::name).toList() : List.of();
        this.mix = smoothWeightedCycle(plan.kinds().stream().mapToInt(HttpPlan.Kind::weight).toArray());
        this.rows = plan.rows().size();
        this.randomRows = plan.randomRows();
        this.description = describe(plan, base);
    }

    /** What a plan sends to {@code base} (scheme and authority), templates as written: safe to show. */
    static String describe(HttpPlan plan, String base) {
        int total = plan.kinds().stream().mapToInt(HttpPlan.Kind::weight).sum();
        return plan.mix()
                ? plan.kinds().stream().map(k -> percent(k.weight(), total) + " " + k.name() + " " + k.describe())
                        .collect(Collectors.joining(", ", "mix on " + base + ": ", ""))
                : plan.kinds().get(0).method() + " " + base + plan.kinds().get(0).path().text();
    }

    /** The next request to send: the mix's next kind, with the next feed row (or a random one). */
    Rendered next() {
        int kind = mix.length == 1 ? 0 : mix[(int) Math.floorMod(mixCounter.getAndIncrement(), (long) mix.length)];
        int row = rows == 1 ? 0 : randomRows ? ThreadLocalRandom.current().nextInt(rows)
                : (int) Math.floorMod(rowCounter.getAndIncrement(), (long) rows);
        return kinds[kind].rows[row];
    }

    /** The kind a request of {@link #next()} is, by its {@link Rendered#kind()}. */
    Sendable kind(int index) {
        return kinds[index];
    }

    /** The kinds' names when the plan is a mix, else empty ({@link LoadTarget#kinds()}). */
    List<String> kindNames() {
        return kindNames;
    }

    /** Whether any kind has a body, so that requests need {@code Content-Length} and {@code Content-Type}. */
    boolean anyBody() {
        return anyBody;
    }

    /** Such as {@code GET http://localhost:8080/items} or {@code mix on http://…: 70% read GET /items, …}. */
    String description() {
        return description;
    }

    private static String percent(int weight, int total) {
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * weight / total);
    }

    private static Rendered render(int index, HttpPlan.Kind kind, Map<String, String> row, String authority,
            boolean shared) {
        List<Header> all = new ArrayList<>();
        if (kind.headers().stream().noneMatch(e -> HttpHeaders.HOST.equalsIgnoreCase(e.getKey()))) {
            // What wrk sends, and what HttpCore's RequestTargetHost would format again for every request.
            all.add(new BasicHeader(HttpHeaders.HOST, authority));
        }
        String type = "application/json";
        for (Map.Entry<String, Template> header : kind.headers()) {
            String value = header.getValue().render(row);
            if (header.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                type = value;
            } else {
                all.add(new BasicHeader(header.getKey(), value));
            }
        }
        byte[] body = kind.body().render(row).getBytes(StandardCharsets.UTF_8);
        Header[] headers = all.toArray(Header[]::new);
        String path = kind.path().render(row);
        HttpRequest bodiless = null;
        if (body.length == 0 && shared) {
            BasicHttpRequest request = new BasicHttpRequest(kind.method(), path);
            request.setHeaders(headers);
            bodiless = request;
        }
        return new Rendered(index, kind.method(), path, headers, body, ContentType.parse(type), bodiless);
    }

    /** The order of kinds in one cycle of the mix: each kind as often as its weight, spread as evenly as can be. */
    static int[] smoothWeightedCycle(int[] weights) {
        int gcd = 0;
        for (int w : weights) {
            gcd = BigInteger.valueOf(gcd).gcd(BigInteger.valueOf(w)).intValue();
        }
        int total = 0;
        int[] reduced = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            reduced[i] = weights[i] / gcd;
            total += reduced[i];
        }
        int[] cycle = new int[total];
        int[] current = new int[weights.length];
        for (int n = 0; n < total; n++) {
            int best = 0;
            for (int i = 0; i < reduced.length; i++) {
                current[i] += reduced[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            cycle[n] = best;
        }
        return cycle;
    }
}
