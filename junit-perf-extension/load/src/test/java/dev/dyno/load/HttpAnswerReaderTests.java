package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Reading an HTTP answer")
class HttpAnswerReaderTests {

    /** Feeds {@code answer} a few bytes at a time, as a slow network would; true once the reader says it is complete. */
    private static boolean feed(HttpAnswerReader reader, String answer, int piece) throws Exception {
        byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf pending = Unpooled.buffer();
        for (int i = 0; i < bytes.length; i += piece) {
            pending.writeBytes(bytes, i, Math.min(piece, bytes.length - i));
            if (reader.read(pending)) {
                assertThat(i + piece).as("complete only once the last byte came").isGreaterThanOrEqualTo(bytes.length);
                return true;
            }
            pending.discardReadBytes();
        }
        return false;
    }

    private static HttpAnswerReader reader(String method, boolean checked) {
        HttpAnswerReader reader = new HttpAnswerReader();
        reader.expect(method, false, checked, checked);
        return reader;
    }

    @Test
    @DisplayName("reads the status and skips a body by its Content-Length, whole or a byte at a time")
    void contentLength() throws Exception {
        for (int piece : new int[] {1, 7, 4096}) {
            HttpAnswerReader reader = reader("GET", false);
            assertThat(feed(reader, "HTTP/1.1 201 Created\r\nServer: nginx\r\nContent-Length: 5\r\n\r\nhello", piece)).isTrue();
            assertThat(reader.status()).isEqualTo(201);
            assertThat(reader.keepAlive()).isTrue();
            assertThat(reader.head()).isNull();
            assertThat(reader.bodyLength()).isZero();
        }
    }

    @Test
    @DisplayName("reads a chunked body with extensions and trailers, and keeps it and the headers for checks")
    void chunked() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Stock: 3\r\n\r\n"
                + "4;name=value\r\nin s\r\n6\r\ntock!!\r\n0\r\nX-Trailer: yes\r\n\r\n";
        for (int piece : new int[] {1, 3, 4096}) {
            HttpAnswerReader reader = reader("GET", true);
            assertThat(feed(reader, answer, piece)).isTrue();
            assertThat(new String(reader.body(), 0, reader.bodyLength(), StandardCharsets.UTF_8)).isEqualTo("in stock!!");
            assertThat(reader.head().contains("x-stock")).isTrue();
            assertThat(reader.head().describe()).isEqualTo("headers Transfer-Encoding: chunked, X-Stock: 3");
            assertThat(reader.keepAlive()).isTrue();
        }
    }

    @Test
    @DisplayName("skips interim 1xx answers, and reads no body after HEAD, 204 or 304")
    void noBody() throws Exception {
        HttpAnswerReader reader = reader("GET", false);
        assertThat(feed(reader, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 5)).isTrue();
        assertThat(reader.status()).isEqualTo(204);
        reader = reader("HEAD", false);
        assertThat(feed(reader, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", 4096)).isTrue();
        reader = reader("GET", false);
        assertThat(feed(reader, "HTTP/1.1 304 Not Modified\r\nContent-Length: 1000\r\n\r\n", 4096)).isTrue();
        // A length that frames nothing is not held against the answer, even when it is not a number.
        reader = reader("HEAD", false);
        assertThat(feed(reader, "HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n", 4096)).isTrue();
        assertThat(reader.status()).isEqualTo(200);
    }

    @Test
    @DisplayName("does not keep a connection that switched protocols (101)")
    void switchedProtocols() throws Exception {
        HttpAnswerReader reader = reader("GET", false);
        assertThat(feed(reader, "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n", 4096))
                .isTrue();
        assertThat(reader.status()).isEqualTo(101);
        assertThat(reader.keepAlive()).isFalse();
    }

    @Test
    @DisplayName("reads a body without length until the connection closes, and then does not keep the connection")
    void untilClose() throws Exception {
        HttpAnswerReader reader = reader("GET", true);
        assertThat(feed(reader, "HTTP/1.0 200 OK\r\n\r\nall of it", 4)).isFalse();
        assertThat(reader.closed()).isTrue();
        assertThat(reader.keepAlive()).isFalse();
        assertThat(new String(reader.body(), 0, reader.bodyLength(), StandardCharsets.UTF_8)).isEqualTo("all of it");
    }

    @Test
    @DisplayName("a close in the middle of a body with a length does not complete it")
    void truncated() throws Exception {
        HttpAnswerReader reader = reader("GET", false);
        assertThat(feed(reader, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf", 4096)).isFalse();
        assertThat(reader.closed()).isFalse();
    }

    @Test
    @DisplayName("refuses what is not an HTTP/1.x answer, naming what is wrong")
    void malformed() {
        assertThatThrownBy(() -> feed(reader("GET", false), "SSH-2.0-OpenSSH_9.6\r\n", 4096))
                .isInstanceOf(HttpAnswerReader.MalformedAnswerException.class)
                .hasMessage("the answer does not start with an HTTP/1.x status line: \"SSH-2.0-OpenSSH_9.6\"");
        assertThatThrownBy(() -> feed(reader("GET", false), "HTTP/1.1 2x0 OK\r\n\r\n", 4096))
                .hasMessageContaining("status code is not three digits");
        assertThatThrownBy(() -> feed(reader("GET", false), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", 4096))
                .hasMessage("the answer's Content-Length is not one whole number");
        assertThatThrownBy(() -> feed(reader("GET", false), "HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\nok", 4096))
                .hasMessage("the answer's Content-Length is not one whole number");
        assertThatThrownBy(() -> feed(reader("GET", false), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 4096))
                .hasMessage("a chunk size of the answer is not hexadecimal");
        assertThatThrownBy(() -> feed(reader("GET", false), "HTTP/1.1 200 OK\r\nX: " + "a".repeat(HttpAnswerReader.MAX_LINE + 10), 4096))
                .hasMessageContaining("longer than " + HttpAnswerReader.MAX_LINE + " bytes");
    }

    static Stream<HttpResponse> answers() {
        return Stream.of(
                response(HttpVersion.HTTP_1_1, 200, "Content-Length", "2"),
                response(HttpVersion.HTTP_1_1, 200, "Content-Length", "2", "Connection", "keep-alive"),
                response(HttpVersion.HTTP_1_1, 200, "Content-Length", "2", "Connection", "Keep-Alive"),
                response(HttpVersion.HTTP_1_1, 200, "Content-Length", "2", "Connection", "close"),
                response(HttpVersion.HTTP_1_1, 200, "Content-Length", "2", "Connection", "keep-alive, close"),
                response(HttpVersion.HTTP_1_1, 200, "Content-Length", "2", "Connection", "keep-alive", "Connection", "close"),
                response(HttpVersion.HTTP_1_1, 200, "Content-Length", "2", "Proxy-Connection", "close"),
                response(HttpVersion.HTTP_1_1, 200),
                response(HttpVersion.HTTP_1_1, 200, "Content-Length", "2", "Content-Length", "2"),
                response(HttpVersion.HTTP_1_1, 200, "Transfer-Encoding", "chunked"),
                response(HttpVersion.HTTP_1_1, 200, "Transfer-Encoding", "gzip"),
                response(HttpVersion.HTTP_1_1, 200, "Transfer-Encoding", "gzip, chunked"),
                response(HttpVersion.HTTP_1_1, 204),
                response(HttpVersion.HTTP_1_1, 204, "Content-Length", "0"),
                response(HttpVersion.HTTP_1_1, 304),
                response(HttpVersion.HTTP_1_0, 200, "Content-Length", "2"),
                response(HttpVersion.HTTP_1_0, 200, "Content-Length", "2", "Connection", "keep-alive"),
                response(HttpVersion.HTTP_1_0, 200, "Content-Length", "2", "Proxy-Connection", "keep-alive"),
                response(HttpVersion.HTTP_1_0, 200, "Transfer-Encoding", "chunked", "Connection", "keep-alive"));
    }

    private static HttpResponse response(HttpVersion version, int status, String... headers) {
        BasicHttpResponse response = new BasicHttpResponse(status);
        response.setVersion(version);
        for (int i = 0; i < headers.length; i += 2) {
            response.addHeader(headers[i], headers[i + 1]);
        }
        return response;
    }

    /** The answer as a server sends it, with a body framed as its headers say. */
    private static String wire(HttpResponse response) {
        StringBuilder text = new StringBuilder(response.getVersion() + " " + response.getCode() + " Reason\r\n");
        List<String> codings = new ArrayList<>();
        boolean length = false;
        for (var header : response.getHeaders()) {
            text.append(header.getName()).append(": ").append(header.getValue()).append("\r\n");
            if (header.getName().equalsIgnoreCase("Transfer-Encoding")) {
                codings.add(header.getValue());
            }
            length |= header.getName().equalsIgnoreCase("Content-Length");
        }
        text.append("\r\n");
        boolean bodiless = response.getCode() == 204 || response.getCode() == 304;
        if (!bodiless) {
            text.append(!codings.isEmpty() && String.join(",", codings).endsWith("chunked") ? "2\r\nok\r\n0\r\n\r\n" : "ok");
        }
        return text.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    @DisplayName("keeps or closes a connection as HttpCore's default strategy would, and closes after a body that runs until the close")
    void reuseVerdict(HttpResponse response) throws Exception {
        BasicHttpRequest plain = new BasicHttpRequest("GET", "/");
        BasicHttpRequest closing = new BasicHttpRequest("GET", "/");
        closing.addHeader("Connection", "close");
        for (BasicHttpRequest request : new BasicHttpRequest[] {plain, closing}) {
            HttpAnswerReader reader = new HttpAnswerReader();
            reader.expect("GET", request == closing, false, false);
            if (!feed(reader, wire(response), 4096)) {
                assertThat(reader.closed()).as("an answer that runs until the close").isTrue();
            }
            // A last transfer coding other than chunked: the body runs until the close (RFC 9112 6.3), so the
            // connection cannot be kept. HttpCore's strategy says keep, but its transport could not read that body.
            boolean untilClose = response.containsHeader("Transfer-Encoding")
                    && !response.getLastHeader("Transfer-Encoding").getValue().endsWith("chunked");
            assertThat(reader.keepAlive())
                    .as("%s after %s", response, request == plain ? "a plain request" : "Connection: close")
                    .isEqualTo(!untilClose && DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response,
                            HttpCoreContext.create()));
        }
    }
}
