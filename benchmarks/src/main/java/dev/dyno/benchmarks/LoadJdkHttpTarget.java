package dev.dyno.benchmarks;

import dev.dyno.load.LoadTarget;
import dev.dyno.load.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Semaphore;

/**
 * The JDK's own {@link HttpClient} as a {@link LoadTarget}, only to compare it with the client
 * {@code @LoadProfile} uses (Apache HttpClient 5) in {@link LoadVsWrk}. At most {@code connections}
 * requests are outstanding, as with the Apache target.
 */
final class LoadJdkHttpTarget implements LoadTarget {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpRequest request;
    private final Semaphore permits;

    LoadJdkHttpTarget(URI uri, int connections) {
        this.request = HttpRequest.newBuilder(uri).GET().build();
        this.permits = new Semaphore(connections);
    }

    @Override
    public void send(long intendedNanos, long sentNanos, Completion completion) {
        permits.acquireUninterruptibly();
        long started = System.nanoTime();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            permits.release();
            completion.complete(intendedNanos, started, failure == null && response.statusCode() == 200
                    ? Outcome.OK : Outcome.ERROR);
        });
    }

    @Override
    public String description() {
        return "JDK HttpClient GET " + request.uri();
    }
}
