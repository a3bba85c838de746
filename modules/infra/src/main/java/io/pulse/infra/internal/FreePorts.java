package io.pulse.infra.internal;

import io.pulse.infra.InfraException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds free TCP ports on the loopback interface.
 *
 * <p>A port found here is free only at the moment it is found: the server that is then given it may lose a race with
 * another process, which is why callers that asked for "any port" retry their start-up with a fresh one. Ports handed
 * out once are never handed out again by this JVM, so two servers started in parallel here cannot be given the same
 * one.
 */
public final class FreePorts {

    /** The only address any server started by Pulse listens on. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final int MAX_ATTEMPTS = 50;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * Returns a port that nothing listened on when this method bound it on 127.0.0.1.
     *
     * @throws UncheckedIOException if no port could be bound after a few attempts
     */
    public static int findFreePort() {
        IOException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                // SO_REUSEADDR off: a port in TIME_WAIT is not offered as free
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 1);
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("could not bind any free port on " + LOOPBACK + " after " + MAX_ATTEMPTS
                + " attempts", last != null ? last : new IOException("every port offered was already handed out"));
    }

    /** Returns {@code port} itself, or a free port when it is 0 (the convention for "any port"). */
    public static int resolve(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be within 0..65535 (0 = any free port), got " + port);
        }
        return port == 0 ? findFreePort() : port;
    }

    /**
     * Fails with a message a person can act on when {@code port} is taken, e.g. by another Kafka or registry.
     *
     * @param what the server that wants the port, for the message
     * @param chosenByUser whether a person chose the port (the message then tells them to free it or pick another)
     */
    public static void requireFree(int port, String what, boolean chosenByUser) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
        } catch (IOException e) {
            String hint = chosenByUser ? "; stop whatever listens there or choose another port" : "";
            throw new InfraException(what + " port " + LOOPBACK + ":" + port + " is already in use" + hint, e);
        }
    }
}
