package io.pulse.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc}: the socket inodes behind the process's file
 * descriptors ({@code /proc/<pid>/fd/* -> socket:[inode]}) matched with the LISTEN entries of
 * {@code /proc/<pid>/net/tcp} and {@code tcp6}. This is what the kernel says, not what a server's configuration
 * claims, so tests use it to prove that every server binds 127.0.0.1 only.
 */
public final class ListeningSockets {

    private static final Path PROC = Path.of("/proc");
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    /** The {@code st} column value of a listening socket ({@code TCP_LISTEN} in the kernel's tcp_states.h). */
    private static final String TCP_LISTEN = "0A";

    /** One listening socket: the local address and port it is bound to. */
    public record ListeningSocket(InetAddress address, int port, long inode) {
        /** {@code 127.0.0.1:port}, or {@code [::1]:port} for IPv6. */
        @Override
        public String toString() {
            String host = address.getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port + " (inode " + inode + ")";
        }
    }

    private ListeningSockets() {
    }

    /** Whether this machine has the {@code /proc} files this class reads (Linux does). */
    public static boolean isSupported() {
        return Files.isRegularFile(PROC.resolve("self/net/tcp"));
    }

    /**
     * The TCP sockets in LISTEN state owned by the process {@code pid} (which must belong to this user).
     * IPv4-mapped IPv6 addresses ({@code ::ffff:127.0.0.1}) are reported as their IPv4 address.
     */
    public static List<ListeningSocket> ofProcess(long pid) {
        Path processDir = PROC.resolve(Long.toString(pid));
        Set<Long> inodes = socketInodes(processDir.resolve("fd"));
        List<ListeningSocket> sockets = new ArrayList<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = processDir.resolve(table);
            if (!Files.isRegularFile(file)) {
                continue; // no IPv6 in this kernel
            }
            for (ListeningSocket socket : parseTable(read(file))) {
                if (inodes.contains(socket.inode())) {
                    sockets.add(socket);
                }
            }
        }
        return sockets;
    }

    /** The listening sockets of this JVM. */
    public static List<ListeningSocket> ofThisProcess() {
        return ofProcess(ProcessHandle.current().pid());
    }

    /**
     * The LISTEN entries of one {@code /proc/net/tcp} or {@code tcp6} table, whoever owns them.
     * Package-private so tests can feed it known lines.
     */
    static List<ListeningSocket> parseTable(List<String> lines) {
        List<ListeningSocket> sockets = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) { // first line is a header
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            String[] columns = line.trim().split("\\s+");
            if (columns.length < 10 || !TCP_LISTEN.equals(columns[3])) {
                continue;
            }
            String[] local = columns[1].split(":");
            sockets.add(new ListeningSocket(decodeAddress(local[0]), Integer.parseInt(local[1], 16),
                    Long.parseLong(columns[9])));
        }
        return sockets;
    }

    /**
     * The kernel prints an address as 32-bit words, each in the machine's byte order: {@code 0100007F} is 127.0.0.1
     * on x86.
     */
    static InetAddress decodeAddress(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            throw new IllegalArgumentException("not an address from /proc/net/tcp: " + hex);
        }
        byte[] bytes = new byte[hex.length() / 2];
        boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int hexIndex = (word * 4 + b) * 2;
                int value = Integer.parseInt(hex.substring(hexIndex, hexIndex + 2), 16);
                bytes[word * 4 + (littleEndian ? 3 - b : b)] = (byte) value;
            }
        }
        try {
            // Java turns an IPv4-mapped IPv6 address into the Inet4Address it maps
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + hex, e);
        }
    }

    private static Set<Long> socketInodes(Path fdDir) {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(fdDir)) {
            fds.forEach(fd -> socketInode(fd).ifPresent(inodes::add));
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + fdDir + " (is the process running and ours?)", e);
        }
        return inodes;
    }

    private static Optional<Long> socketInode(Path fd) {
        try {
            Matcher matcher = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
            return matcher.matches() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty(); // closed while we looked
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + fd, e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}
