package dev.dyno.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * An {@link HttpTarget}'s requests, built before the run: every kind of the plan rendered for
 * every feed row, and the order in which a run takes them (the mix's kinds by weight, the rows in
 * turn or at random). Sending takes a ready request; nothing is rendered while load is sent.
 */
final class HttpRequestFactory {

    private static final String HOST = "Host";
    private static final String CONTENT_TYPE = "Content-Type";
    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");

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
     * One request of one kind and feed row, its bytes on the wire built before the run and sent as
     * they are every time.
     *
     * @param wire   the request line, headers and body, in a direct buffer that lives until {@link #release()};
     *               each send writes a retained duplicate of it
     * @param closes whether the request says {@code Connection: close}, so that the answer ends its connection
     */
    record Rendered(int kind, String method, ByteBuf wire, boolean closes) {
    }

    private final Sendable[] kinds;
    private final List<String> kindNames;
    /** Which kind each request of a cycle of the mix is: the weights, spread evenly (nginx's smooth weighted round robin). */
    private final int[] mix;
    private final AtomicLong mixCounter = new AtomicLong();
    private final AtomicLong rowCounter = new AtomicLong();
    private final int rows;
    private final boolean randomRows;
    private final String description;

    /**
     * @param base      the scheme and authority, for the description
     * @param authority the {@code Host} header's value, unless a kind names its own
     */
    HttpRequestFactory(HttpPlan plan, String base, String authority) {
        this.kinds = new Sendable[plan.kinds().size()];
        for (int k = 0; k < kinds.length; k++) {
            HttpPlan.Kind kind = plan.kinds().get(k);
            Rendered[] rendered = new Rendered[plan.rows().size()];
            for (int r = 0; r < rendered.length; r++) {
                rendered[r] = render(k, kind, plan.rows().get(r), authority);
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

    /** Frees the requests' buffers, once nothing is sent any more. */
    void release() {
        for (Sendable kind : kinds) {
            for (Rendered row : kind.rows) {
                row.wire().release();
            }
        }
    }

    /** The kind a request of {@link #next()} is, by its {@link Rendered#kind()}. */
    Sendable kind(int index) {
        return kinds[index];
    }

    /** The kinds' names when the plan is a mix, else empty ({@link LoadTarget#kinds()}). */
    List<String> kindNames() {
        return kindNames;
    }

    /** Such as {@code GET http://localhost:8080/items} or {@code mix on http://…: 70% read GET /items, …}. */
    String description() {
        return description;
    }

    private static String percent(int weight, int total) {
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * weight / total);
    }

    private static Rendered render(int index, HttpPlan.Kind kind, Map<String, String> row, String authority) {
        StringBuilder head = new StringBuilder(256).append(kind.method()).append(' ').append(kind.path().render(row))
                .append(" HTTP/1.1\r\n");
        if (kind.headers().stream().noneMatch(e -> HOST.equalsIgnoreCase(e.getKey()))) {
            head.append(HOST).append(": ").append(authority).append("\r\n"); // what wrk sends
        }
        String type = "application/json";
        boolean closes = false;
        for (Map.Entry<String, Template> header : kind.headers()) {
            String value = header.getValue().render(row);
            if (header.getKey().equalsIgnoreCase(CONTENT_TYPE)) {
                type = value;
            } else {
                head.append(header.getKey()).append(": ").append(value).append("\r\n");
                closes |= header.getKey().equalsIgnoreCase("Connection")
                        && Arrays.stream(value.split(",")).anyMatch(t -> t.strip().equalsIgnoreCase("close"));
            }
        }
        byte[] body = kind.body().render(row).getBytes(StandardCharsets.UTF_8);
        if (body.length > 0 || METHODS_WITH_BODY.contains(kind.method())) {
            // An empty POST, PUT or PATCH says so, as servers may refuse one without a length (411).
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (body.length > 0) {
            head.append(CONTENT_TYPE).append(": ").append(type).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        // Pooled, so that each send's retainedDuplicate() is a recycled view, not a new object.
        ByteBuf wire = PooledByteBufAllocator.DEFAULT.directBuffer(headBytes.length + body.length)
                .writeBytes(headBytes).writeBytes(body);
        return new Rendered(index, kind.method(), wire, closes);
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
