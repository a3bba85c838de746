package io.pulse.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.registry.IncompatibleSchemaException;
import io.pulse.registry.SchemaNotFoundException;
import io.pulse.registry.SchemaRegistryClientConfig;
import io.pulse.registry.SchemaRegistryException;
import io.pulse.registry.SchemaRegistryHttpException;
import io.pulse.registry.SchemaRegistryTlsException;
import io.pulse.registry.SchemaRegistryUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one registry request with fail-over across the configured URLs and retries with backoff. Connection failures
 * and 5xx/408/429 are retried; other 4xx are the registry's verdict and are mapped to typed exceptions at once. A
 * failed TLS handshake moves on to the next URL but is not retried: when every URL refused the handshake, the
 * request fails at once with {@link SchemaRegistryTlsException}.
 */
public final class HttpTransport {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE + ", application/vnd.schemaregistry+json; q=0.9,"
            + " application/json; q=0.5";
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    private final List<URI> baseUrls;
    private final String authorization;
    private final HttpClient http;
    private final Duration timeout;
    private final RetryPolicy retryPolicy;
    /** The URL that answered last; requests start there so one dead registry costs one timeout, not one per call. */
    private final AtomicInteger preferred = new AtomicInteger();

    public HttpTransport(SchemaRegistryClientConfig config) {
        List<URI> urls = new ArrayList<>();
        String urlUserInfo = null;
        for (String url : config.urls()) {
            URI uri = parseUrl(url);
            if (uri.getRawUserInfo() != null && urlUserInfo == null) {
                urlUserInfo = uri.getUserInfo();
            }
            urls.add(withoutUserInfo(uri));
        }
        this.baseUrls = List.copyOf(urls);
        String source = config.getString(SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE);
        String userInfo = SchemaRegistryClientConfig.SOURCE_URL.equals(source)
                ? urlUserInfo
                : config.passwordValue(SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO);
        this.authorization = userInfo == null || userInfo.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.timeout = Duration.ofMillis(config.getInt(SchemaRegistryClientConfig.REQUEST_TIMEOUT_MS));
        this.retryPolicy = new RetryPolicy(config.getInt(SchemaRegistryClientConfig.MAX_RETRIES),
                config.getLong(SchemaRegistryClientConfig.RETRIES_WAIT_MS),
                config.getLong(SchemaRegistryClientConfig.RETRIES_MAX_WAIT_MS), new Random());
        HttpClient.Builder builder = HttpClient.newBuilder()
                // HTTP/1.1: an h2c upgrade attempt on plain http buys nothing for small JSON calls
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        SslContexts.fromConfig(config).ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /** The base URLs, without credentials, for messages. */
    public List<URI> baseUrls() {
        return baseUrls;
    }

    /**
     * Sends {@code method path} with an optional JSON body and returns the parsed JSON answer.
     *
     * @param path starts with '/', segments already encoded, may carry a query
     */
    public JsonNode send(String method, String path, String body) {
        Exception lastCause = null;
        URI lastUri = null;
        int n = baseUrls.size();
        for (int attempt = 0; ; attempt++) {
            int start = preferred.get();
            int handshakeFailures = 0;
            for (int i = 0; i < n; i++) {
                int index = (start + i) % n;
                URI uri = resolve(baseUrls.get(index), path);
                lastUri = uri;
                try {
                    HttpResponse<String> response = http.send(request(method, uri, body),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        preferred.set(index);
                        return parseSuccess(method + " " + uri, response.body());
                    }
                    if (isRetriable(status)) {
                        lastCause = new IOException("HTTP " + status + ": " + snippet(response.body()));
                        continue;
                    }
                    preferred.set(index);
                    throw error(method + " " + uri, status, response.body());
                } catch (IOException e) {
                    // connection refused, reset or timed out: try the next URL
                    lastCause = e;
                    if (isHandshakeFailure(e)) {
                        handshakeFailures++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SchemaRegistryException("Interrupted while calling the Schema Registry at " + uri, e);
                }
            }
            if (handshakeFailures == n) {
                throw tlsFailure(method, lastUri, lastCause);
            }
            if (attempt >= retryPolicy.maxRetries()) {
                throw unavailable(method, lastUri, attempt + 1, lastCause);
            }
            long delay = retryPolicy.delayMs(attempt);
            LOG.debug("Schema Registry {} {} failed ({}); retry {} of {} in {} ms", method, lastUri, lastCause,
                    attempt + 1, retryPolicy.maxRetries(), delay);
            pause(delay, lastUri);
        }
    }

    private HttpRequest request(String method, URI uri, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", ACCEPT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    /**
     * A 2xx that is not JSON is not worth retrying: it is a web page (Apicurio's UI answers 200 on its root), so the
     * URL points at the wrong place.
     */
    private static JsonNode parseSuccess(String request, String body) {
        try {
            return RegistryJson.parse(body);
        } catch (IOException e) {
            throw new SchemaRegistryException(request + " answered with a body that is not JSON: " + snippet(body)
                    + ". Does schema.registry.url point at the registry API (Apicurio: .../apis/ccompat/v7)?", e);
        }
    }

    private static boolean isRetriable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private SchemaRegistryUnavailableException unavailable(String method, URI lastUri, int attempts, Exception cause) {
        String causeText = describe(cause);
        return new SchemaRegistryUnavailableException("Schema Registry unavailable: " + method + " " + lastUri
                + " failed after " + attempts + " attempt(s) across " + baseUrls + "; last cause: " + causeText
                + ". Check schema.registry.url and that the registry is running and reachable.", cause);
    }

    private static boolean isHandshakeFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private SchemaRegistryTlsException tlsFailure(String method, URI lastUri, Exception cause) {
        return new SchemaRegistryTlsException("TLS handshake with the Schema Registry failed: " + method + " "
                + lastUri + " (tried " + baseUrls + "): " + describe(cause) + ". The registry's certificate must"
                + " chain to a CA in " + SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION + " (the JDK's default"
                + " trust store when unset; check also " + SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE + " and "
                + SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD + ") and name the host of the URL.", cause);
    }

    private static SchemaRegistryHttpException error(String request, int status, String body) {
        int errorCode = status * 100;
        String message = snippet(body);
        try {
            JsonNode json = RegistryJson.parse(body);
            if (json.path("error_code").canConvertToInt()) {
                errorCode = json.path("error_code").asInt();
            }
            if (json.path("message").isTextual()) {
                message = json.path("message").asText();
            }
        } catch (IOException | RuntimeException notJson) {
            // keep the raw body snippet: a proxy's HTML error page is still worth showing
        }
        if (status == 404 && SchemaNotFoundException.isNotFoundCode(errorCode)) {
            return new SchemaNotFoundException(request, status, errorCode, message);
        }
        if (status == 409) {
            return new IncompatibleSchemaException(request, status, errorCode, message);
        }
        if (status == 404) {
            message = message + " (no registry error code: is the path in schema.registry.url right?)";
        }
        return new SchemaRegistryHttpException(request, status, errorCode, message);
    }

    private static void pause(long millis, URI uri) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while waiting to retry the Schema Registry at " + uri, e);
        }
    }

    /** Appends {@code path} to the base URL's own path: {@code http://h/apis/ccompat/v7} + {@code /subjects}. */
    static URI resolve(URI base, String path) {
        String prefix = base.toString();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return URI.create(prefix + path);
    }

    private static URI parseUrl(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, url,
                        "expected http(s)://host:port[/path] or mock://scope");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, url,
                    "not a URL: " + e.getMessage());
        }
    }

    /** Credentials never travel in the request line or show up in exception messages. */
    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL, uri.toString(), e.getMessage());
        }
    }

    /** The cause chain as "ConnectException <- ClosedChannelException: msg": the JDK often leaves messages null. */
    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null && text.length() < 500; t = t.getCause()) {
            text.append(text.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                return text.append(": ").append(t.getMessage()).toString();
            }
        }
        return text.toString();
    }

    private static String snippet(String body) {
        if (body == null) {
            return "";
        }
        String trimmed = body.strip();
        return trimmed.length() <= 300 ? trimmed : trimmed.substring(0, 300) + "...";
    }
}
