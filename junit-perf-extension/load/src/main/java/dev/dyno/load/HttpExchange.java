package dev.dyno.load;

import dev.dyno.load.LoadTarget.Completion;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * One request and its answer, the only object an {@link HttpTarget} makes per request: produces
 * the request, keeps the status code, throws the body away as it arrives (keeping its start only
 * for a kind with checks), and reports the end exactly once, whichever of answer, failure or
 * cancellation comes first. The connection goes back to the {@link HttpConnectionPool}.
 */
final class HttpExchange implements AsyncClientExchangeHandler {

    /** The most bytes of an answer's body kept for {@link ResponseCheck}s; the rest is not checked. */
    static final int MAX_CHECKED_BODY = 1 << 20;

    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(HttpExchange.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The head of an answer to be checked, and the start of its body. */
    private static final class Answer {
        final HttpResponse head;
        byte[] body = new byte[0];
        int length;

        Answer(HttpResponse head) {
            this.head = head;
        }
    }

    private final HttpConnectionPool pool;
    private final CheckFailures checkFailures;
    private final HttpRequestFactory.Sendable sendable;
    private final AsyncClientEndpoint endpoint;
    private final long intendedNanos;
    private final long sentNanos;
    private final Completion completion;
    private final HttpRequestFactory.Rendered rendered;
    private final AsyncEntityProducer entity;
    private int status;
    /** Only for a kind with checks, so that an unchecked request carries one field for them, not three. */
    private Answer answer;
    @SuppressWarnings("unused") // through ENDED
    private volatile boolean ended;

    HttpExchange(HttpConnectionPool pool, CheckFailures checkFailures, HttpRequestFactory.Sendable sendable,
            HttpRequestFactory.Rendered rendered, AsyncClientEndpoint endpoint, long intendedNanos, long sentNanos,
            Completion completion) {
        this.pool = pool;
        this.checkFailures = checkFailures;
        this.sendable = sendable;
        this.endpoint = endpoint;
        this.intendedNanos = intendedNanos;
        this.sentNanos = sentNanos;
        this.completion = completion;
        this.rendered = rendered;
        this.entity = rendered.body().length == 0 ? null
                : new BasicAsyncEntityProducer(rendered.body(), rendered.contentType());
    }

    /** Sends it on its connection. */
    void start() {
        try {
            endpoint.execute(this, null, null);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
        channel.sendRequest(rendered.bodiless() != null ? rendered.bodiless() : rendered.request(), entity, context);
    }

    @Override
    public int available() {
        return entity == null ? 0 : entity.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        if (entity != null) {
            entity.produce(channel);
        }
    }

    @Override
    public void consumeInformation(HttpResponse response, HttpContext context) {
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context) {
        status = response.getCode();
        if (sendable.checks.length > 0) {
            answer = new Answer(response);
        }
        if (entityDetails == null) {
            answered();
        }
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        capacityChannel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) {
        Answer a = answer;
        if (a != null && sendable.needsBody && a.length < MAX_CHECKED_BODY) {
            int n = Math.min(src.remaining(), MAX_CHECKED_BODY - a.length);
            if (a.body.length < a.length + n) {
                a.body = Arrays.copyOf(a.body, Math.min(MAX_CHECKED_BODY, Math.max(4096, 2 * (a.length + n))));
            }
            src.get(a.body, a.length, n);
            a.length += n;
        }
        src.position(src.limit());
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        answered();
    }

    @Override
    public void failed(Exception cause) {
        end(HttpFailures.classify(cause));
    }

    @Override
    public void cancel() {
        end(Outcome.ERROR);
    }

    @Override
    public void releaseResources() {
        if (entity != null) {
            entity.releaseResources();
        }
        // Released without an answer, a failure or a cancellation: the connection went away under it.
        end(Outcome.IO);
    }

    private void answered() {
        if (!ENDED.compareAndSet(this, false, true)) {
            return;
        }
        boolean[] expected = sendable.expected;
        Outcome outcome = status >= 0 && status < expected.length && expected[status] ? checked()
                : Outcome.UNEXPECTED_STATUS;
        pool.answered(endpoint, outcome, intendedNanos, sentNanos, completion, rendered.kind());
    }

    /** {@link Outcome#OK}, or {@link Outcome#CHECK_FAILED} with the first failed check kept as an example. */
    private Outcome checked() {
        Answer a = answer;
        for (ResponseCheck check : sendable.checks) {
            if (a == null || !check.passes(a.head, a.body, a.length)) {
                checkFailures.add(sendable.name, check, status, a == null ? null : a.head,
                        a == null ? new byte[0] : a.body, a == null ? 0 : a.length);
                return Outcome.CHECK_FAILED;
            }
        }
        return Outcome.OK;
    }

    private void end(Outcome failure) {
        if (!ENDED.compareAndSet(this, false, true)) {
            return;
        }
        pool.discard(endpoint);
        completion.complete(intendedNanos, sentNanos, failure, rendered.kind());
    }
}
