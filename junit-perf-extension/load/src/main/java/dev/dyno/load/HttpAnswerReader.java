package dev.dyno.load;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an HTTP/1.1 answer from a connection's bytes as they arrive, one answer per request, and
 * makes no object for it: the status code is read from the status line, and of the headers only
 * those that frame the body or decide the connection's fate ({@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection}, {@code Proxy-Connection}) are looked at, byte by
 * byte, in place. The body is skipped as it arrives. Only a kind of request with checks keeps its
 * headers ({@link HttpHead}) and the start of its body.
 *
 * <p>Whether the connection is kept afterwards is the verdict of HttpCore 5's
 * {@code DefaultConnectionReuseStrategy}, which Dyno's transport used before; {@code
 * HttpAnswerReaderTests} checks the two agree on every kind of answer it lists but one: a body
 * whose last transfer coding is not {@code chunked} runs until the close, which HttpCore could not
 * read at all. A 101 answer ends the connection too. The body is framed as
 * RFC 9112 section 6.3 says: none after {@code HEAD}, 1xx, 204 and 304; chunked when the last transfer
 * coding is {@code chunked}; else by {@code Content-Length}; else until the server closes.
 *
 * <p>Not thread-safe: one per connection, used on its I/O thread.
 */
final class HttpAnswerReader {

    /** The longest status line, header line or chunk-size line accepted. */
    static final int MAX_LINE = 16 * 1024;
    /** The most bytes of an answer's body kept for {@link ResponseCheck}s; the rest is not checked. */
    static final int MAX_CHECKED_BODY = 1 << 20;
    /** The largest buffer for checked bodies a connection keeps from one answer to the next. */
    static final int KEPT_BODY_BUFFER = 64 * 1024;
    /** The most header lines an answer may have. */
    static final int MAX_HEADERS = 256;

    /** An answer that is not HTTP/1.1 as this reader can frame it; an {@link IOException}, so {@link Outcome#IO}. */
    static final class MalformedAnswerException extends IOException {
        MalformedAnswerException(String message) {
            super(message);
        }
    }

    private enum State { STATUS_LINE, HEADERS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

    private static final byte[] CONTENT_LENGTH = bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
    private static final byte[] CONNECTION = bytes("connection");
    private static final byte[] PROXY_CONNECTION = bytes("proxy-connection");
    private static final byte[] CLOSE = bytes("close");
    private static final byte[] KEEP_ALIVE = bytes("keep-alive");
    private static final byte[] CHUNKED = bytes("chunked");

    private State state = State.DONE;
    // What the request said: set by expect.
    private boolean headRequest;
    private boolean connectRequest;
    private boolean requestCloses;
    private boolean keepHeaders;
    private boolean keepBody;
    // What the answer says so far.
    private int status;
    private boolean http11;
    private int headerLines;
    private int contentLengths;
    private long contentLength;
    private boolean lengthsDiffer;
    private boolean firstLengthPositive;
    private int transferEncodings;
    private boolean lastCodingIsChunked;
    private boolean connectionSeen;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean proxySeen;
    private boolean proxyClose;
    private boolean proxyKeepAlive;
    private long remaining;
    private boolean keepAlive;
    private List<String[]> headers;
    private byte[] body = new byte[0];
    private int bodyLength;

    /**
     * Starts on the answer to a request.
     *
     * @param method        the request's method, for the framing of {@code HEAD} and {@code CONNECT} answers
     * @param requestCloses whether the request itself said {@code Connection: close}
     * @param keepHeaders   whether to keep the headers, for checks
     * @param keepBody      whether to keep the start of the body, up to {@link #MAX_CHECKED_BODY}
     */
    void expect(String method, boolean requestCloses, boolean keepHeaders, boolean keepBody) {
        this.headRequest = "HEAD".equals(method);
        this.connectRequest = "CONNECT".equals(method);
        this.requestCloses = requestCloses;
        this.keepHeaders = keepHeaders;
        this.keepBody = keepBody;
        this.bodyLength = 0;
        this.headers = null;
        if (body.length > KEPT_BODY_BUFFER) {
            body = new byte[0]; // a large body's buffer is not kept for the connection's whole life
        }
        startHead();
    }

    private void startHead() {
        state = State.STATUS_LINE;
        status = 0;
        headerLines = 0;
        contentLengths = 0;
        contentLength = -1;
        lengthsDiffer = false;
        firstLengthPositive = false;
        transferEncodings = 0;
        lastCodingIsChunked = false;
        connectionSeen = connectionClose = connectionKeepAlive = false;
        proxySeen = proxyClose = proxyKeepAlive = false;
        if (keepHeaders) {
            headers = new ArrayList<>();
        }
    }

    /**
     * Reads what it can of {@code in}; the bytes read are consumed. True once the answer is
     * complete, and then nothing more is read from {@code in}.
     */
    boolean read(ByteBuf in) throws MalformedAnswerException {
        while (in.isReadable()) {
            switch (state) {
                case STATUS_LINE, HEADERS, CHUNK_SIZE, CHUNK_END, TRAILERS -> {
                    int eol = in.forEachByte(ByteProcessor.FIND_LF);
                    if (eol < 0) {
                        if (in.readableBytes() > MAX_LINE) {
                            throw new MalformedAnswerException("a line of the answer is longer than " + MAX_LINE + " bytes");
                        }
                        return false;
                    }
                    int start = in.readerIndex();
                    int end = eol > start && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
                    if (end - start > MAX_LINE) {
                        throw new MalformedAnswerException("a line of the answer is longer than " + MAX_LINE + " bytes");
                    }
                    in.readerIndex(eol + 1);
                    line(in, start, end);
                }
                case FIXED_BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    body(in, n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = state == State.FIXED_BODY ? State.DONE : State.CHUNK_END;
                    }
                }
                case UNTIL_CLOSE -> body(in, in.readableBytes());
                case DONE -> {
                    return true;
                }
            }
            if (state == State.DONE) {
                return true;
            }
        }
        return state == State.DONE;
    }

    /** The connection has closed: true when that ends an answer whose body runs until the close. */
    boolean closed() {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
            keepAlive = false;
            return true;
        }
        return false;
    }

    int status() {
        return status;
    }

    /** Whether the connection may carry the next request: HttpCore's default strategy's verdict. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** The headers, when {@code keepHeaders} was asked; else null. */
    HttpHead head() {
        return headers == null ? null : new HttpHead(status, List.copyOf(headers));
    }

    /** The start of the body, when {@code keepBody} was asked; its first {@link #bodyLength()} bytes. */
    byte[] body() {
        return body;
    }

    int bodyLength() {
        return bodyLength;
    }

    private void body(ByteBuf in, int n) {
        if (keepBody && bodyLength < MAX_CHECKED_BODY) {
            int kept = Math.min(n, MAX_CHECKED_BODY - bodyLength);
            if (body.length < bodyLength + kept) {
                body = Arrays.copyOf(body, Math.min(MAX_CHECKED_BODY, Math.max(4096, 2 * (bodyLength + kept))));
            }
            in.getBytes(in.readerIndex(), body, bodyLength, kept);
            bodyLength += kept;
        }
        in.skipBytes(n);
    }

    private void line(ByteBuf in, int start, int end) throws MalformedAnswerException {
        switch (state) {
            case STATUS_LINE -> statusLine(in, start, end);
            case HEADERS -> {
                if (end == start) {
                    headEnded();
                } else {
                    header(in, start, end);
                }
            }
            case CHUNK_SIZE -> chunkSize(in, start, end);
            case CHUNK_END -> {
                if (end != start) {
                    throw new MalformedAnswerException("a chunk of the answer does not end where its size says");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (end == start) {
                    state = State.DONE;
                } else if (++headerLines > MAX_HEADERS) {
                    throw new MalformedAnswerException("the answer has more than " + MAX_HEADERS + " header and trailer lines");
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void statusLine(ByteBuf in, int start, int end) throws MalformedAnswerException {
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (end - start < 12 || in.getByte(start) != 'H' || in.getByte(start + 1) != 'T' || in.getByte(start + 2) != 'T'
                || in.getByte(start + 3) != 'P' || in.getByte(start + 4) != '/' || in.getByte(start + 5) != '1'
                || in.getByte(start + 6) != '.' || in.getByte(start + 8) != ' '
                || (end - start > 12 && in.getByte(start + 12) != ' ')) {
            throw new MalformedAnswerException("the answer does not start with an HTTP/1.x status line: \""
                    + in.toString(start, Math.min(end - start, 80), StandardCharsets.ISO_8859_1) + "\"");
        }
        byte minor = in.getByte(start + 7);
        int code = 0;
        for (int i = start + 9; i < start + 12; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                throw new MalformedAnswerException("the answer's status code is not three digits: \""
                        + in.toString(start, Math.min(end - start, 80), StandardCharsets.ISO_8859_1) + "\"");
            }
            code = code * 10 + (b - '0');
        }
        status = code;
        http11 = minor >= '1' && minor <= '9';
        state = State.HEADERS;
    }

    private void header(ByteBuf in, int start, int end) throws MalformedAnswerException {
        if (++headerLines > MAX_HEADERS) {
            throw new MalformedAnswerException("the answer has more than " + MAX_HEADERS + " header lines");
        }
        int colon = in.indexOf(start, end, (byte) ':');
        if (colon <= start) {
            throw new MalformedAnswerException("a header line of the answer has no name and colon: \""
                    + in.toString(start, Math.min(end - start, 80), StandardCharsets.ISO_8859_1) + "\"");
        }
        int valueStart = colon + 1;
        int valueEnd = end;
        while (valueStart < valueEnd && isSpace(in.getByte(valueStart))) {
            valueStart++;
        }
        while (valueEnd > valueStart && isSpace(in.getByte(valueEnd - 1))) {
            valueEnd--;
        }
        if (headers != null) {
            headers.add(new String[] {in.toString(start, colon - start, StandardCharsets.ISO_8859_1),
                    in.toString(valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1)});
        }
        if (nameIs(in, start, colon, CONTENT_LENGTH)) {
            long length = digits(in, valueStart, valueEnd); // -1: not a whole number
            if (contentLengths++ == 0) {
                contentLength = length;
                firstLengthPositive = length > 0;
                lengthsDiffer = length < 0;
            } else if (length != contentLength) {
                lengthsDiffer = true;
            }
        } else if (nameIs(in, start, colon, TRANSFER_ENCODING)) {
            transferEncodings++;
            lastCodingIsChunked = lastTokenIs(in, valueStart, valueEnd, CHUNKED);
        } else if (nameIs(in, start, colon, CONNECTION)) {
            connectionSeen = true;
            connectionClose |= hasToken(in, valueStart, valueEnd, CLOSE);
            connectionKeepAlive |= hasToken(in, valueStart, valueEnd, KEEP_ALIVE);
        } else if (nameIs(in, start, colon, PROXY_CONNECTION)) {
            proxySeen = true;
            proxyClose |= hasToken(in, valueStart, valueEnd, CLOSE);
            proxyKeepAlive |= hasToken(in, valueStart, valueEnd, KEEP_ALIVE);
        }
    }

    private void headEnded() throws MalformedAnswerException {
        if (status >= 100 && status < 200 && status != 101) {
            startHead(); // an interim answer (100 Continue, 103 Early Hints): the real one follows
            return;
        }
        // 101: the connection now speaks another protocol, so no further request may go on it.
        keepAlive = status != 101 && reuseVerdict();
        boolean noBody = headRequest || status < 200 || status == 204 || status == 304
                || (connectRequest && status < 300);
        if (noBody) {
            state = State.DONE;
        } else if (transferEncodings > 0) {
            if (lastCodingIsChunked) {
                state = State.CHUNK_SIZE;
            } else {
                state = State.UNTIL_CLOSE;
                keepAlive = false;
            }
        } else if (contentLengths > 0) {
            if (lengthsDiffer) {
                throw new MalformedAnswerException("the answer's Content-Length is not one whole number");
            }
            remaining = contentLength;
            state = remaining == 0 ? State.DONE : State.FIXED_BODY;
        } else {
            state = State.UNTIL_CLOSE;
            keepAlive = false;
        }
    }

    /** {@code DefaultConnectionReuseStrategy.keepAlive} of HttpCore 5.3, on what the head said. */
    private boolean reuseVerdict() {
        if (requestCloses) {
            return false;
        }
        if (status == 204 && (firstLengthPositive || transferEncodings > 0)) {
            return false;
        }
        if (transferEncodings > 0) {
            if (!http11) {
                return false; // HTTP/1.0 with a transfer coding: the connection must close (RFC 9112 6.1)
            }
            if (!lastCodingIsChunked) {
                // The body runs until the close (RFC 9112 6.3). HttpCore would keep the connection, but it
                // cannot read such a body at all ("unsupported transfer encoding").
                return false;
            }
        } else {
            boolean canHaveBody = !headRequest && !(connectRequest && status >= 200 && status < 300)
                    && status >= 200 && status != 204 && status != 304;
            if (canHaveBody && contentLengths != 1) {
                return false;
            }
        }
        if (connectionSeen) {
            return http11 ? !connectionClose : connectionKeepAlive;
        }
        if (proxySeen) {
            return http11 ? !proxyClose : proxyKeepAlive;
        }
        return http11;
    }

    private void chunkSize(ByteBuf in, int start, int end) throws MalformedAnswerException {
        long size = 0;
        int digits = 0;
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
            if (d < 0) {
                if (b == ';' || isSpace(b)) {
                    break; // a chunk extension follows
                }
                throw new MalformedAnswerException("a chunk size of the answer is not hexadecimal");
            }
            if (++digits > 15) {
                throw new MalformedAnswerException("a chunk size of the answer is too large");
            }
            size = size * 16 + d;
        }
        if (digits == 0) {
            throw new MalformedAnswerException("a chunk size of the answer is missing");
        }
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
    }

    /** The whole number in the bytes, or -1 when they are not one: refused only where it frames the body. */
    private static long digits(ByteBuf in, int start, int end) {
        if (start == end || end - start > 18) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean nameIs(ByteBuf in, int start, int end, byte[] lowerCase) {
        return equalsIgnoreCase(in, start, end, lowerCase);
    }

    private static boolean equalsIgnoreCase(ByteBuf in, int start, int end, byte[] lowerCase) {
        if (end - start != lowerCase.length) {
            return false;
        }
        for (int i = 0; i < lowerCase.length; i++) {
            byte b = in.getByte(start + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether a comma-separated list holds {@code token}, in any case, spaces around items ignored. */
    private static boolean hasToken(ByteBuf in, int start, int end, byte[] token) {
        int itemStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || in.getByte(i) == ',') {
                int s = itemStart;
                int e = i;
                while (s < e && isSpace(in.getByte(s))) {
                    s++;
                }
                while (e > s && isSpace(in.getByte(e - 1))) {
                    e--;
                }
                if (equalsIgnoreCase(in, s, e, token)) {
                    return true;
                }
                itemStart = i + 1;
            }
        }
        return false;
    }

    /** Whether the last item of a comma-separated list is {@code token}, parameters after {@code ;} ignored. */
    private static boolean lastTokenIs(ByteBuf in, int start, int end, byte[] token) {
        int comma = start - 1;
        for (int i = end - 1; i >= start; i--) {
            if (in.getByte(i) == ',') {
                comma = i;
                break;
            }
        }
        int s = comma + 1;
        int e = end;
        int semicolon = in.indexOf(s, e, (byte) ';');
        if (semicolon >= 0) {
            e = semicolon;
        }
        while (s < e && isSpace(in.getByte(s))) {
            s++;
        }
        while (e > s && isSpace(in.getByte(e - 1))) {
            e--;
        }
        return equalsIgnoreCase(in, s, e, token);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
