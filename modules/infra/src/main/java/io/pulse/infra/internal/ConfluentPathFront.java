package io.pulse.infra.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Apicurio Registry's Confluent-compatible API at the root of a port, so that Confluent clients can be given
 * the plain base URL ({@code schema.registry.url=http://127.0.0.1:8081}) as they are with a Confluent Schema
 * Registry. Apicurio only serves that API under {@code /apis/ccompat/v7}; this front rewrites
 * {@code /subjects/...} to {@code /apis/ccompat/v7/subjects/...} and passes paths under {@code /apis/} through
 * unchanged (Apicurio's own APIs stay reachable on the same port).
 *
 * <p>Optionally it protects the registry the way a reverse proxy in front of a production registry does: TLS with a
 * given key store ({@link Security#tls()}), and HTTP basic authentication ({@link Security#users()}): a request
 * without valid credentials gets {@code 401} with {@code WWW-Authenticate: Basic} and a Confluent-style error body,
 * and never reaches Apicurio. The credentials are checked here and not passed on. Apicurio's own port stays plain
 * HTTP without authentication on 127.0.0.1, so this guards the public port, not the machine: like any proxy, it
 * protects nothing against a process that can reach the upstream directly.
 *
 * <p>Hand-written on the JDK's HTTP server rather than a proxy library: it is a development-only path rewrite of a
 * few small JSON requests, and a proxy framework would be a much larger dependency than these lines.
 */
public final class ConfluentPathFront implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentPathFront.class);
    /** Request headers worth forwarding; hop-by-hop headers and Host must not be copied. */
    private static final Set<String> FORWARDED_REQUEST_HEADERS = Set.of("content-type", "accept", "authorization");
    private static final List<String> FORWARDED_RESPONSE_HEADERS = List.of("Content-Type", "Retry-After");
    private static final String CCOMPAT_PREFIX = "/apis/ccompat/v7";
    private static final String REALM = "Basic realm=\"Schema Registry\", charset=\"UTF-8\"";
    /** Confluent's error code for a request without valid credentials. */
    private static final int UNAUTHORIZED_ERROR_CODE = 40101;

    /**
     * How the front protects the registry.
     *
     * @param tls serve HTTPS with this context, or plain HTTP when null
     * @param users basic-auth users (name to password); empty means no authentication
     */
    public record Security(SSLContext tls, Map<String, String> users) {
        /** Plain HTTP, no authentication: what {@code ./pulse infra} runs. */
        public static final Security NONE = new Security(null, Map.of());

        public Security {
            users = Map.copyOf(users);
        }

        /** Never prints passwords. */
        @Override
        public String toString() {
            return "Security[tls=" + (tls != null) + ", users=" + users.keySet() + "]";
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final URI upstream;
    private final Security security;
    /** SHA-256 of each user's password: compared in constant time, whatever the password's length. */
    private final Map<String, byte[]> passwordDigests;

    private ConfluentPathFront(HttpServer server, ExecutorService executor, URI upstream, Security security) {
        this.server = server;
        this.executor = executor;
        this.upstream = upstream;
        this.security = security;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.passwordDigests = security.users().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> sha256(e.getValue())));
    }

    /**
     * Starts a plain-HTTP front without authentication on {@code 127.0.0.1:port} (0 picks a free port).
     *
     * @param upstream Apicurio's base URL, e.g. {@code http://127.0.0.1:40123}
     */
    public static ConfluentPathFront start(int port, URI upstream) throws IOException {
        return start(port, upstream, Security.NONE);
    }

    /** Starts the front on {@code 127.0.0.1:port} (0 picks a free port), protected as {@code security} says. */
    public static ConfluentPathFront start(int port, URI upstream, Security security) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        HttpServer server;
        if (security.tls() != null) {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(security.tls()));
            server = https;
        } else {
            server = HttpServer.create(address, 64);
        }
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "registry-front");
            thread.setDaemon(true);
            return thread;
        });
        ConfluentPathFront front = new ConfluentPathFront(server, executor, upstream, security);
        server.createContext("/", front::handle);
        server.setExecutor(executor);
        server.start();
        return front;
    }

    /** The port the front listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL to give Confluent clients as {@code schema.registry.url}: https when TLS is on. */
    public String url() {
        return (security.tls() != null ? "https" : "http") + "://127.0.0.1:" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (!passwordDigests.isEmpty() && !isAuthorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
            try (exchange) {
                // drain what the client sent, so the connection can be reused for the retry with credentials
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("WWW-Authenticate", REALM);
                respond(exchange, 401, "{\"error_code\":" + UNAUTHORIZED_ERROR_CODE
                        + ",\"message\":\"Unauthorized: valid basic-auth credentials are required\"}");
            }
            return;
        }
        forward(exchange);
    }

    /** Whether {@code header} carries {@code Basic base64(user:password)} for a configured user. */
    boolean isAuthorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String userInfo;
        try {
            userInfo = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            return false;
        }
        byte[] expected = passwordDigests.get(userInfo.substring(0, colon));
        byte[] given = sha256(userInfo.substring(colon + 1));
        // an unknown user costs the same comparison as a known one, so timing does not tell which users exist
        return MessageDigest.isEqual(given, expected != null ? expected : new byte[given.length]) && expected != null;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI original = exchange.getRequestURI();
            String path = original.getRawPath();
            String target = (path.startsWith("/apis/") ? path : CCOMPAT_PREFIX + path)
                    + (original.getRawQuery() == null ? "" : "?" + original.getRawQuery());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(target))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                // credentials checked here are the front's business; Apicurio behind it has no users of its own
                boolean checkedHere = lower.equals("authorization") && !passwordDigests.isEmpty();
                if (FORWARDED_REQUEST_HEADERS.contains(lower) && !checkedHere) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                LOG.debug("registry upstream {} unreachable", upstream, e);
                respond(exchange, 503, "{\"error_code\":50300,\"message\":\"Schema Registry backend unreachable\"}");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                respond(exchange, 503, "{\"error_code\":50300,\"message\":\"interrupted\"}");
                return;
            }
            for (String header : FORWARDED_RESPONSE_HEADERS) {
                response.headers().firstValue(header).ifPresent(v -> exchange.getResponseHeaders().add(header, v));
            }
            byte[] responseBody = response.body();
            exchange.sendResponseHeaders(response.statusCode(), responseBody.length == 0 ? -1 : responseBody.length);
            if (responseBody.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(responseBody);
                }
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
