package io.pulse.deployment.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * A health check for images without a shell or curl: {@code java -cp /app/classes io.pulse.deployment.probe.HttpProbe
 * URL [TIMEOUT_MS]} sends one GET and exits 0 if the answer is 2xx, 1 otherwise (printing why), 2 on bad arguments.
 * Plain {@link HttpURLConnection} so that only {@code java.base} is loaded and the JVM is gone again in a fraction of a
 * second.
 */
public final class HttpProbe {

    static final int HEALTHY = 0;
    static final int UNHEALTHY = 1;
    static final int USAGE = 2;
    private static final int DEFAULT_TIMEOUT_MS = 3_000;

    private HttpProbe() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The probe without {@code System.exit}, for tests: the exit code. */
    static int run(String... args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: HttpProbe URL [TIMEOUT_MS]");
            return USAGE;
        }
        URI uri;
        int timeoutMs;
        try {
            uri = URI.create(args[0]);
            timeoutMs = args.length == 2 ? Integer.parseInt(args[1]) : DEFAULT_TIMEOUT_MS;
        } catch (IllegalArgumentException e) {
            System.err.println("HttpProbe: " + e.getMessage());
            return USAGE;
        }
        if (!"http".equals(uri.getScheme()) || timeoutMs <= 0) {
            System.err.println("HttpProbe: needs an http:// URL and a positive timeout, got " + String.join(" ", args));
            return USAGE;
        }
        try {
            int status = get(uri, timeoutMs);
            System.out.println(uri + " -> " + status);
            return status >= 200 && status < 300 ? HEALTHY : UNHEALTHY;
        } catch (IOException e) {
            System.out.println(uri + " -> " + e);
            return UNHEALTHY;
        }
    }

    private static int get(URI uri, int timeoutMs) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(timeoutMs);
        connection.setReadTimeout(timeoutMs);
        connection.setUseCaches(false);
        try {
            int status = connection.getResponseCode();
            // drain the body so the exchange completes cleanly; its content does not matter
            try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                if (body != null) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
            }
            return status;
        } finally {
            connection.disconnect();
        }
    }
}
