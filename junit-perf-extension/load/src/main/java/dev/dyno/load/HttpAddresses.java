package dev.dyno.load;

import dev.dyno.config.DynoConfiguration;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where an {@link HttpTarget}'s connections go: the addresses its host resolved to, once, before
 * the run (by the first matching resolve rule, as an IP literal, or by the system resolver), taken
 * in turn by new connections, with the connections opened to each counted.
 */
final class HttpAddresses {

    static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final String hostName;
    private final int port;
    private final InetSocketAddress[] hosts;
    private final AtomicLong[] connections;
    private final String source;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param origin the scheme, host and port; its path is not used
     * @param rules  resolve rules, the first that matches the host and port wins
     */
    HttpAddresses(URI origin, List<HttpPlan.ResolveRule> rules) {
        String scheme = origin.getScheme();
        String host = origin.getHost();
        this.hostName = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        this.port = origin.getPort() > 0 ? origin.getPort() : "https".equals(scheme) ? 443 : 80;
        String resolvedBy;
        InetAddress[] addresses;
        int connectPort = port;
        try {
            HttpPlan.ResolveRule rule = rules.stream().filter(r -> r.matches(hostName, port)).findFirst().orElse(null);
            if (rule != null) {
                addresses = new InetAddress[] {InetAddress.getByAddress(hostName, literal(rule.address()).getAddress())};
                connectPort = rule.connectPort();
                resolvedBy = rule.source() + " " + rule.host() + ":" + rule.port() + ":" + rule.address()
                        + (connectPort != port ? ":" + connectPort : "");
            } else if (IP_LITERAL.matcher(hostName).matches()) {
                addresses = new InetAddress[] {literal(hostName)};
                resolvedBy = "the address in the URL";
            } else {
                addresses = InetAddress.getAllByName(hostName);
                resolvedBy = "the system resolver";
            }
        } catch (UnknownHostException e) {
            throw LoadPlan.bad("http.url", origin, "a URL whose host resolves; " + hostName + " did not (" + e.getMessage()
                    + "); give its address with http.resolve or " + DynoConfiguration.LOAD_RESOLVE_PROPERTY
                    + " = \"" + hostName + ":" + port + ":ADDRESS\"");
        }
        this.source = resolvedBy;
        this.hosts = new InetSocketAddress[addresses.length];
        this.connections = new AtomicLong[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            hosts[i] = new InetSocketAddress(addresses[i], connectPort);
            connections[i] = new AtomicLong();
        }
    }

    private static InetAddress literal(String address) throws UnknownHostException {
        // An IP literal: InetAddress parses it without asking any resolver.
        return InetAddress.getByName(address.startsWith("[") ? address.substring(1, address.length() - 1) : address);
    }

    /** The address a new connection goes to, as an index for {@link #host(int)} and {@link #connected(int)}. */
    int next() {
        return hosts.length == 1 ? 0 : Math.floorMod(next.getAndIncrement(), hosts.length);
    }

    /** Where a connection to the address at {@code index} goes: the address and the port to connect to. */
    InetSocketAddress host(int index) {
        return hosts[index];
    }

    /** The host as the URL names it, without brackets: for TLS's server name and certificate check. */
    String hostName() {
        return hostName;
    }

    /** The port as the URL names it (or the scheme's default). */
    int port() {
        return port;
    }

    /** A connection to the address at {@code index} was opened. */
    void connected(int index) {
        connections[index].incrementAndGet();
    }

    /** The host and port, as named, such as {@code staging.example.test:443}. */
    String hostAndPort() {
        return (hostName.contains(":") ? "[" + hostName + "]" : hostName) + ":" + port;
    }

    /** The addresses and how they were found, such as {@code 127.0.0.1 (http.resolve …)}. */
    String describe() {
        return Arrays.stream(hosts).map(h -> h.getAddress().getHostAddress()).collect(Collectors.joining(", "))
                + " (" + source + ")";
    }

    /** Each address with the connections opened to it so far, such as {@code 127.0.0.1: 32 connections}. */
    String traffic() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            parts.add(hostAndPort() + " at " + hosts[i].getAddress().getHostAddress()
                    + (hosts[i].getPort() != port ? " port " + hosts[i].getPort() : "") + ": " + connections[i].get()
                    + " connections");
        }
        return String.join(", ", parts);
    }
}
