package dev.dyno.load;

import dev.dyno.load.LoadTarget.Completion;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection of an {@link HttpTarget} and the request on it, one object per connection and
 * none per request on it: writes the request's prepared bytes, reads the answer with an
 * {@link HttpAnswerReader}, times the request out, and reports its end exactly once, whichever of
 * answer, failure, close or timeout comes first. The connection then goes back to the
 * {@link HttpConnectionPool}, or is closed when the answer ended it.
 *
 * <p>Everything but {@link #start} runs on the connection's I/O thread. {@link #start} from another
 * thread hands the request over with the connection itself as the task, so that no object is made
 * for the hand-over either.
 */
final class HttpConnection extends ByteToMessageDecoder implements Runnable {

    private final HttpConnectionPool pool;
    private final HttpAnswerReader reader = new HttpAnswerReader();
    private final Runnable timeoutCheck = this::checkTimeout;
    private final int address;
    private final long connectStartNanos = System.nanoTime();
    /** Set by whichever comes first, the connect's caller or the handler's addition on the I/O thread. */
    private volatile Channel channel;
    private volatile EventLoop loop;
    /** Connected (and TLS negotiated): requests may be written. */
    private volatile boolean open;
    /** Not yet connected, and no failure reported for the connect: cleared exactly once, by the connection or its failure. */
    private final AtomicBoolean connecting = new AtomicBoolean(true);
    private long connectedNanos;
    // The request on the wire (busy), or handed over to be written.
    private long intendedNanos;
    private long sentNanos;
    private Completion completion;
    private HttpRequestFactory.Rendered request;
    private HttpRequestFactory.Sendable sendable;
    private boolean busy;
    private long lastActivityNanos;
    private boolean timerArmed;
    /** Closed by Dyno (the target closing, a failure), not by the server: a close then ends no answer. */
    private volatile boolean closedHere;

    /**
     * A connection about to be opened to the address at {@code address}, for the request given: it
     * is written once the connection is open.
     */
    HttpConnection(HttpConnectionPool pool, int address, long intendedNanos, long sentNanos, Completion completion) {
        this.pool = pool;
        this.address = address;
        this.intendedNanos = intendedNanos;
        this.sentNanos = sentNanos;
        this.completion = completion;
    }

    /** Whether it is open and may take another request. */
    boolean isOpen() {
        return open;
    }

    /** The address index it was opened to ({@link HttpAddresses#host(int)}). */
    int address() {
        return address;
    }

    /** Opened through {@code channel}, whose pipeline ends with this connection. */
    void opening(Channel channel) {
        this.channel = channel;
        this.loop = channel.eventLoop();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        // On the I/O thread, before channelActive: the connect's caller may not have returned yet.
        opening(ctx.channel());
        super.handlerAdded(ctx);
    }

    /** Sends a request on this open, idle connection; from any thread. */
    void start(long intendedNanos, long sentNanos, Completion completion) {
        this.intendedNanos = intendedNanos;
        this.sentNanos = sentNanos;
        this.completion = completion;
        if (loop.inEventLoop()) {
            write();
        } else {
            loop.execute(this);
        }
    }

    /** The hand-over of {@link #start} from another thread. */
    @Override
    public void run() {
        write();
    }

    /** Closes it; a request on it ends as an I/O failure. */
    void close() {
        closedHere = true;
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    private void write() {
        if (!open) {
            // Closed while idle in the pool, before the hand-over ran.
            busy = true;
            request = null;
            fail(Outcome.IO);
            return;
        }
        HttpRequestFactory.Rendered next = pool.requests.next();
        HttpRequestFactory.Sendable kind = pool.requests.kind(next.kind());
        request = next;
        sendable = kind;
        boolean checked = kind.checks.length > 0;
        reader.expect(next.method(), next.closes(), checked, checked && kind.needsBody);
        busy = true;
        lastActivityNanos = System.nanoTime();
        armTimer();
        channel.writeAndFlush(next.wire().retainedDuplicate(), channel.voidPromise());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connectedNanos = System.nanoTime();
        pool.connectTimer().recordNanos(connectedNanos - connectStartNanos);
        if (ctx.pipeline().get(SslHandler.class) == null) {
            connected();
        }
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                pool.tls().handshakeDone(connectedNanos, ctx.pipeline().get(SslHandler.class).engine());
                connected();
            } else {
                connectFailed(handshake.cause());
            }
        }
        super.userEventTriggered(ctx, event);
    }

    private void connected() {
        if (!connecting.compareAndSet(true, false)) {
            return;
        }
        open = true;
        pool.connected(address);
        write();
    }

    /** The connect (or the TLS handshake) failed: the pool reports the pending request's end. */
    void connectFailed(Throwable cause) {
        if (connecting.compareAndSet(true, false)) {
            pool.connectFailed(intendedNanos, sentNanos, completion, cause);
        }
        close();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!busy) {
            // Bytes with no request on the wire: the server speaks out of turn, so the connection can't be trusted.
            in.skipBytes(in.readableBytes());
            close();
            return;
        }
        lastActivityNanos = System.nanoTime();
        try {
            if (reader.read(in)) {
                answered();
            }
        } catch (HttpAnswerReader.MalformedAnswerException e) {
            in.skipBytes(in.readableBytes());
            fail(Outcome.IO);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open = false;
        super.channelInactive(ctx); // reads what is left first
        if (connecting.get()) {
            connectFailed(new IOException("the connection closed before it was ready"));
        } else if (busy) {
            if (!closedHere && reader.closed()) {
                answered(); // a body that ran until the server closed
            } else {
                fail(Outcome.IO);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (connecting.get()) {
            connectFailed(cause);
        } else if (busy) {
            fail(HttpFailures.classify(cause));
        }
        close();
    }

    private void answered() {
        busy = false;
        int status = reader.status();
        boolean[] expected = sendable.expected;
        Outcome outcome;
        try {
            outcome = status >= 0 && status < expected.length && expected[status] ? checked() : Outcome.UNEXPECTED_STATUS;
        } catch (RuntimeException | StackOverflowError e) {
            // A check that throws (a regular expression too deep for the stack) must not lose the request.
            outcome = Outcome.ERROR;
        }
        pool.answered(this, open && reader.keepAlive(), outcome, intendedNanos, sentNanos, completion, request.kind());
    }

    /** {@link Outcome#OK}, or {@link Outcome#CHECK_FAILED} with the first failed check kept as an example. */
    private Outcome checked() {
        HttpRequestFactory.Sendable kind = sendable;
        if (kind.checks.length == 0) {
            return Outcome.OK;
        }
        HttpHead head = reader.head();
        for (ResponseCheck check : kind.checks) {
            if (!check.passes(head, reader.body(), reader.bodyLength())) {
                pool.checkFailures.add(kind.name, check, reader.status(), head, reader.body(), reader.bodyLength());
                return Outcome.CHECK_FAILED;
            }
        }
        return Outcome.OK;
    }

    /** Ends the request on the wire as {@code failure} and gives up the connection. */
    private void fail(Outcome failure) {
        if (!busy) {
            return;
        }
        busy = false;
        open = false;
        pool.discard(this);
        completion.complete(intendedNanos, sentNanos, failure, request == null ? 0 : request.kind());
    }

    private void armTimer() {
        if (!timerArmed) {
            timerArmed = true;
            loop.schedule(timeoutCheck, pool.timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * At most one check is pending per connection, so a timer costs one object per timeout period,
     * not one per request: the timeout is the time without a byte of the answer, as a socket
     * timeout is.
     */
    private void checkTimeout() {
        timerArmed = false;
        if (!busy) {
            return;
        }
        long quiet = System.nanoTime() - lastActivityNanos;
        if (quiet >= pool.timeoutNanos) {
            fail(HttpFailures.classify(new SocketTimeoutException("no answer within " + pool.timeoutNanos / 1_000_000 + " ms")));
        } else {
            timerArmed = true;
            loop.schedule(timeoutCheck, pool.timeoutNanos - quiet, TimeUnit.NANOSECONDS);
        }
    }
}
