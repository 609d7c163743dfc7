package dev.dyno.workloads.inference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inference-like HTTP service: the guide's CodeLlama endpoint without the model. {@code POST
 * /generate} with {@code {"prompt": "...", "max_tokens": 50}} does real CPU work for every token
 * ({@code --token-rounds} SHA-256 rounds per token, a fixed amount of work rather than of time, so
 * a busier machine shows up as slower answers, as it would for a model) on a bounded pool of
 * workers with a bounded queue, so it saturates visibly: past its capacity requests wait, and when
 * the queue is full it answers 503 at once. {@code GET /health} answers as the guide's does.
 *
 * <pre>
 * java dev.dyno.workloads.inference.InferenceService --port 8080 --workers 2 --queue 32 --token-rounds 5000
 * </pre>
 *
 * It binds 127.0.0.1 only, on the given port or, with {@code --port 0}, an ephemeral one, and
 * prints {@code inference-service ready on http://127.0.0.1:PORT} when it answers.
 * {@code --leak-kb N} keeps N KiB per request forever (at most 1 GiB), to show what a soak's memory
 * drift check catches.
 */
public final class InferenceService implements AutoCloseable {

    /** The model name /health reports. */
    public static final String MODEL = "dyno-inference-sim";

    private static final Pattern MAX_TOKENS = Pattern.compile("\"max_tokens\"\\s*:\\s*(\\d+)");
    private static final int MAX_TOKENS_LIMIT = 4096;

    /** SHA-256 rounds per token by default: about a millisecond of one core on a 2020s x86 server. */
    public static final int DEFAULT_TOKEN_ROUNDS = 5000;

    static {
        // Without it the JDK server writes headers and body in two segments, and Nagle plus the
        // client's delayed ACK add 40 ms to every answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final ExecutorService connections;
    private final long roundsPerToken;
    private final int leakBytes;
    private final List<byte[]> leaked = new ArrayList<>();
    private final AtomicLong leakedBytes = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** Options, as given on the command line. */
    public record Options(int port, int workers, int queue, int tokenRounds, int defaultTokens, int leakKb) {
        public static Options defaults() {
            return new Options(8080, Math.max(1, Runtime.getRuntime().availableProcessors()), 32, DEFAULT_TOKEN_ROUNDS, 50, 0);
        }

        static Options parse(String... args) {
            Options o = defaults();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                o = switch (name) {
                    case "--port" -> new Options(Integer.parseInt(value), o.workers, o.queue, o.tokenRounds, o.defaultTokens, o.leakKb);
                    case "--workers" -> new Options(o.port, Integer.parseInt(value), o.queue, o.tokenRounds, o.defaultTokens, o.leakKb);
                    case "--queue" -> new Options(o.port, o.workers, Integer.parseInt(value), o.tokenRounds, o.defaultTokens, o.leakKb);
                    case "--token-rounds" -> new Options(o.port, o.workers, o.queue, Integer.parseInt(value), o.defaultTokens, o.leakKb);
                    case "--default-tokens" -> new Options(o.port, o.workers, o.queue, o.tokenRounds, Integer.parseInt(value), o.leakKb);
                    case "--leak-kb" -> new Options(o.port, o.workers, o.queue, o.tokenRounds, o.defaultTokens, Integer.parseInt(value));
                    default -> throw new IllegalArgumentException("unknown option " + name
                            + "; known: --port --workers --queue --token-rounds --default-tokens --leak-kb");
                };
            }
            if (o.port < 0 || o.port > 65535 || o.workers < 1 || o.queue < 0 || o.tokenRounds < 0
                    || o.defaultTokens < 1 || o.leakKb < 0) {
                throw new IllegalArgumentException("out of range: " + o);
            }
            return o;
        }
    }

    private InferenceService(Options options) throws IOException {
        this.roundsPerToken = options.tokenRounds();
        this.leakBytes = options.leakKb() * 1024;
        this.workers = new ThreadPoolExecutor(options.workers(), options.workers(), 0, TimeUnit.SECONDS,
                options.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(options.queue()),
                daemonThreads("inference-worker"), new ThreadPoolExecutor.AbortPolicy());
        // One thread per open request waits for its worker; bounded by workers + queue + rejected ones.
        this.connections = new ThreadPoolExecutor(2, 512, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads("inference-http"), new ThreadPoolExecutor.CallerRunsPolicy());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 1024);
        server.setExecutor(connections);
        server.createContext("/health", this::health);
        server.createContext("/generate", exchange -> generate(exchange, options.defaultTokens()));
        server.start();
    }

    /** Starts a service; close it to stop. */
    public static InferenceService start(Options options) throws IOException {
        return new InferenceService(options);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("inference-service: " + e.getMessage());
            System.exit(2);
            return;
        }
        InferenceService service = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close));
        System.out.println("inference-service ready on http://127.0.0.1:" + service.port() + " (workers "
                + options.workers() + ", queue " + options.queue() + ", " + options.tokenRounds() + " SHA-256 rounds per token)");
        System.out.flush();
        Thread.currentThread().join();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long served() {
        return served.get();
    }

    public long rejected() {
        return rejected.get();
    }

    private void health(HttpExchange exchange) throws IOException {
        respond(exchange, 200, "{\"status\":\"healthy\",\"model\":\"" + MODEL + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"workers\":" + workers.getMaximumPoolSize() + ",\"queued\":" + workers.getQueue().size() + "}");
    }

    private void generate(HttpExchange exchange, int defaultTokens) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "{\"error\":\"use POST\"}");
            return;
        }
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
        Matcher m = MAX_TOKENS.matcher(body);
        int tokens = m.find() ? Math.min(MAX_TOKENS_LIMIT, Integer.parseInt(m.group(1))) : defaultTokens;
        long start = System.nanoTime();
        Future<String> result;
        try {
            result = workers.submit(() -> infer(body, tokens));
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            respond(exchange, 503, "{\"error\":\"overloaded: all workers busy and the queue is full\"}");
            return;
        }
        try {
            String text = result.get();
            served.incrementAndGet();
            respond(exchange, 200, "{\"text\":\"" + text + "\",\"tokens\":" + tokens + ",\"latency_ms\":"
                    + (System.nanoTime() - start) / 1_000_000 + ",\"model\":\"" + MODEL + "\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, "{\"error\":\"shutting down\"}");
        } catch (ExecutionException e) {
            respond(exchange, 500, "{\"error\":\"" + e.getCause() + "\"}");
        }
    }

    /** Token by token: SHA-256 rounds chained through the prompt, as a model's layers would be. */
    private String infer(String prompt, int tokens) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] state = sha.digest(prompt.getBytes(StandardCharsets.UTF_8));
        for (int t = 0; t < tokens; t++) {
            for (long r = 0; r < roundsPerToken; r++) {
                state = sha.digest(state);
            }
        }
        if (leakBytes > 0 && leakedBytes.get() < (1L << 30)) {
            synchronized (leaked) {
                leaked.add(new byte[leakBytes]);
            }
            leakedBytes.addAndGet(leakBytes);
        }
        return HexFormat.of().formatHex(state, 0, 8);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger ids = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        connections.shutdownNow();
    }
}
