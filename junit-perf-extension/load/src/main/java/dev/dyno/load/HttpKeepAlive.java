package dev.dyno.load;

import java.util.Iterator;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HeaderElements;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Whether an {@link HttpTarget}'s connection is kept after an answer: HttpCore's verdict, reached
 * faster. {@code HttpTargetTests} checks the two agree.
 */
final class HttpKeepAlive {

    private HttpKeepAlive() {
    }

    /**
     * {@link DefaultConnectionReuseStrategy}'s answer, without tokenizing headers in the common
     * case: an HTTP/1.1 answer with one {@code Content-Length} and no {@code Connection} header other
     * than {@code keep-alive} is kept. Every other answer is left to the default strategy.
     */
    static boolean keepAlive(HttpRequest request, HttpResponse response, HttpContext context) {
        if (HttpVersion.HTTP_1_1.equals(response.getVersion())
                && (request == null || !request.containsHeader(HttpHeaders.CONNECTION))) {
            int lengths = 0;
            boolean plain = true;
            for (Iterator<Header> it = response.headerIterator(); it.hasNext(); ) {
                Header header = it.next();
                String name = header.getName();
                if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                    lengths++;
                } else if (name.equalsIgnoreCase(HttpHeaders.CONNECTION)) {
                    plain &= HeaderElements.KEEP_ALIVE.equalsIgnoreCase(header.getValue());
                } else if (name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING)
                        || name.equalsIgnoreCase(HttpHeaders.PROXY_CONNECTION)) {
                    plain = false;
                }
            }
            if (plain && lengths == 1) {
                return true;
            }
        }
        return DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context);
    }
}
