package dev.dyno.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * The common start of a distributed load. Each agent, once its JVM is up and its target built,
 * connects to the test's JVM on the loopback and waits; when the last agent has connected, all
 * get one start time, a moment ahead. A start time fixed before the agents start would have to
 * guess how long a JVM, or a container with a class path copied in, takes to be ready (a
 * container took 8.7 s here, a process under 1 s); this waits for it instead.
 */
final class AgentRendezvous implements AutoCloseable {

    /** From the last agent's arrival to the start: time to tell every agent, and for each to wake up. */
    static final Duration LEAD = Duration.ofMillis(500);

    private final ServerSocket server;
    private final List<Socket> arrived = new ArrayList<>();

    AgentRendezvous() throws IOException {
        this.server = new ServerSocket(0, LoadAgents.MAX_AGENTS, InetAddress.getLoopbackAddress());
    }

    /** Where agents connect, as {@code --coordinator} takes it. */
    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /**
     * Waits until {@code agents} agents have arrived, at most {@code timeout}, calling
     * {@code checkAgents} between waits (which throws for an agent that died before it arrived),
     * then sends every agent the common start and returns it, in epoch milliseconds.
     */
    long start(int agents, Duration timeout, Runnable checkAgents) throws IOException {
        server.setSoTimeout(200);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (arrived.size() < agents) {
            try {
                arrived.add(server.accept());
            } catch (SocketTimeoutException notYet) {
                checkAgents.run();
                if (System.nanoTime() > deadline) {
                    throw new AssertionFailedError(arrived.size() + " of " + agents + " load agents were ready after "
                            + timeout.toSeconds() + " s; the others never reported ready");
                }
            }
        }
        long startAt = System.currentTimeMillis() + LEAD.toMillis();
        byte[] message = ("start-at " + startAt + "\n").getBytes(StandardCharsets.US_ASCII);
        for (Socket agent : arrived) {
            agent.getOutputStream().write(message);
            agent.getOutputStream().flush();
        }
        return startAt;
    }

    /** In an agent: reports ready to the coordinator at {@code host:port} and returns the common start it answers. */
    static long awaitStart(String coordinator) throws IOException {
        int colon = coordinator.lastIndexOf(':');
        try (Socket socket = new Socket(coordinator.substring(0, colon), Integer.parseInt(coordinator.substring(colon + 1)));
             BufferedReader answer = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                     StandardCharsets.US_ASCII))) {
            String line = answer.readLine();
            if (line == null || !line.startsWith("start-at ")) {
                throw new IOException("the test at " + coordinator + " closed without a start time: " + line);
            }
            return Long.parseLong(line.substring("start-at ".length()).strip());
        }
    }

    @Override
    public void close() {
        for (Socket agent : arrived) {
            try {
                agent.close();
            } catch (IOException ignored) {
                // closing: nothing to do about it
            }
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing: nothing to do about it
        }
    }
}
