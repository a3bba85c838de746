package io.pulse.deployment.container;

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
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * The front of the test-only Schema Registry stand-in image (not Pulse code; it runs in that image only): serves
 * Apicurio's Confluent-compatible API ({@code /apis/ccompat/v7}) at the root of a port on every interface of the
 * container, as Confluent's registry serves it, after setting the global compatibility level.
 *
 * <p>{@code java RegistryFrontStandIn PORT UPSTREAM COMPATIBILITY}. Only the JDK: the image runs it from a bare class
 * directory.
 */
public final class RegistryFrontStandIn {

    private static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Accept");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RegistryFrontStandIn() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: RegistryFrontStandIn PORT UPSTREAM COMPATIBILITY");
        }
        int port = Integer.parseInt(args[0]);
        String upstream = args[1];
        setCompatibility(upstream, args[2].toUpperCase(Locale.ROOT));
        // every interface: other containers reach it by the service name
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
        server.createContext("/", exchange -> forward(exchange, upstream));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("registry stand-in: Confluent API on :" + port + " -> " + upstream);
    }

    /** Waits for Apicurio (started next to it, seconds to a minute), then sets the level Compose asks for. */
    private static void setCompatibility(String upstream, String level) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(upstream + "/config"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    System.out.println("registry stand-in: compatibility " + level);
                    return;
                }
            } catch (IOException notYetUp) {
                // Apicurio is still starting
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Apicurio did not answer at " + upstream + " within " + START_TIMEOUT);
            }
            Thread.sleep(500); // runs inside the stand-in image, whose class path is this class alone (no Awaitility)
        }
    }

    private static void forward(HttpExchange exchange, String upstream) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : REQUEST_HEADERS) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<byte[]> response;
            try {
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            response.headers().firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            byte[] out = response.body();
            exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        }
    }
}
