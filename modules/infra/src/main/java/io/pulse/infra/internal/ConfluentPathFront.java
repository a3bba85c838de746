package io.pulse.infra.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Apicurio Registry's Confluent-compatible API at the root of a port, so that Confluent clients can be given
 * the plain base URL ({@code schema.registry.url=http://127.0.0.1:8081}) as they are with a Confluent Schema
 * Registry. Apicurio only serves that API under {@code /apis/ccompat/v7}; this front rewrites
 * {@code /subjects/...} to {@code /apis/ccompat/v7/subjects/...} and passes paths under {@code /apis/} through
 * unchanged (Apicurio's own APIs stay reachable on the same port).
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

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final URI upstream;

    private ConfluentPathFront(HttpServer server, ExecutorService executor, URI upstream) {
        this.server = server;
        this.executor = executor;
        this.upstream = upstream;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Starts the front on {@code 127.0.0.1:port} (0 picks a free port).
     *
     * @param upstream Apicurio's base URL, e.g. {@code http://127.0.0.1:40123}
     */
    public static ConfluentPathFront start(int port, URI upstream) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "registry-front");
            thread.setDaemon(true);
            return thread;
        });
        ConfluentPathFront front = new ConfluentPathFront(server, executor, upstream);
        server.createContext("/", front::forward);
        server.setExecutor(executor);
        server.start();
        return front;
    }

    /** The port the front listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL to give Confluent clients as {@code schema.registry.url}. */
    public String url() {
        return "http://127.0.0.1:" + port();
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
                if (FORWARDED_REQUEST_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
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
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
