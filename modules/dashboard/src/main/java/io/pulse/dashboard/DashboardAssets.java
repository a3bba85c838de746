package io.pulse.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the dashboard's static files from the classpath over the JDK {@link HttpServer}.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code GET /}, {@code /index.html}</td><td>the overview page</td></tr>
 *   <tr><td>{@code GET /user?id=…}</td><td>the user page (the id is read by the page's script)</td></tr>
 *   <tr><td>{@code GET /static/**}</td><td>{@code io/pulse/dashboard/static/**} on the classpath</td></tr>
 *   <tr><td>{@code GET /static/vendor/chart.umd.js}</td><td>Chart.js from the {@code org.webjars.npm:chart.js} WebJar</td></tr>
 * </table>
 *
 * <p>Anything else is {@code 404}; methods other than GET and HEAD are {@code 405}. Paths are checked
 * segment by segment after percent-decoding (letters, digits, {@code _ - .}, never starting with a dot), so
 * {@code ..}, hidden files, backslashes and empty segments never reach the class loader, and only known file
 * types are served. Pages are sent with {@code Cache-Control: no-cache} (always revalidated, so a new build
 * shows at once) and a Content-Security-Policy that allows nothing but this origin; scripts and styles may be
 * cached for five minutes. Every response carries a strong ETag and {@code If-None-Match} yields {@code 304}.
 *
 * <p>The data the pages show comes from the pipeline's {@code /api/…} and {@code /users/…} endpoints, which
 * this class leaves to whoever owns the server.
 */
public final class DashboardAssets implements HttpHandler {

    /** Where the dashboard's own files live on the classpath. */
    static final String STATIC_ROOT = "io/pulse/dashboard/static/";
    /** The path Chart.js is served at, independent of the WebJar's version. */
    public static final String CHART_JS_PATH = "/static/vendor/chart.umd.js";

    private static final String WEBJAR_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    private static final String WEBJAR_ROOT = "META-INF/resources/webjars/chart.js/";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/user", "user.html",
            "/user.html", "user.html");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "map", "application/json; charset=utf-8",
            "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");
    /** Self only: the dashboard must work with no network but its own server (and says so to the browser). */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";
    private static final String PAGE_CACHE = "no-cache";
    private static final String ASSET_CACHE = "public, max-age=300";

    private final ClassLoader classLoader;
    /** Assets are small and immutable within a build: read each once. Misses are not cached (bounded map). */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    private DashboardAssets(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** A handler serving the dashboard's pages and static files; mount it at {@code "/"} and {@code "/static/"}. */
    public static HttpHandler handler() {
        return new DashboardAssets(DashboardAssets.class.getClassLoader());
    }

    /**
     * Creates the contexts {@code "/"} and {@code "/static/"} on {@code server}, both served by one
     * {@link #handler()}. The server's owner keeps {@code /api/}, {@code /users/}, {@code /health},
     * {@code /ready} and {@code /metrics} (the JDK server routes by longest matching prefix).
     */
    public static void register(HttpServer server) {
        if (server == null) {
            throw new IllegalArgumentException("server must not be null");
        }
        HttpHandler handler = handler();
        server.createContext("/", handler);
        server.createContext("/static/", handler);
    }

    /** The version of Chart.js being served, as found in its WebJar. */
    public static String chartJsVersion() {
        try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException("Chart.js WebJar (org.webjars.npm:chart.js) is not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WEBJAR_POM, e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendText(exchange, 405, "method not allowed", false);
                return;
            }
            Optional<Asset> asset = resolve(exchange.getRequestURI().getPath());
            if (asset.isEmpty()) {
                sendText(exchange, 404, "not found", head);
                return;
            }
            send(exchange, asset.get(), head);
        }
    }

    /** The asset a request path names, or empty when it names none (or nothing we are willing to serve). */
    Optional<Asset> resolve(String path) {
        if (path == null) {
            return Optional.empty();
        }
        String page = PAGES.get(path);
        if (page != null) {
            return load(STATIC_ROOT + page, PAGE_CACHE);
        }
        if (!path.startsWith("/static/")) {
            return Optional.empty();
        }
        String relative = path.substring("/static/".length());
        if (!isSafeRelativePath(relative) || extension(relative).isEmpty()) {
            return Optional.empty();
        }
        if (relative.startsWith("vendor/chart.umd.js")) {
            return vendorChartJs(relative.substring("vendor/".length()));
        }
        String cacheControl = relative.endsWith(".html") ? PAGE_CACHE : ASSET_CACHE;
        return load(STATIC_ROOT + relative, cacheControl);
    }

    private Optional<Asset> vendorChartJs(String fileName) {
        if (!fileName.equals("chart.umd.js") && !fileName.equals("chart.umd.js.map")) {
            return Optional.empty();
        }
        return load(WEBJAR_ROOT + chartJsVersion() + "/dist/" + fileName, ASSET_CACHE);
    }

    static boolean isSafeRelativePath(String relative) {
        if (relative.isEmpty() || relative.length() > 512) {
            return false;
        }
        for (String segment : relative.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }

    private Optional<Asset> load(String resource, String cacheControl) {
        Asset cached = cache.get(resource);
        if (cached != null) {
            return Optional.of(cached);
        }
        String contentType = CONTENT_TYPES.get(extension(resource));
        if (contentType == null) {
            return Optional.empty();
        }
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Asset asset = new Asset(in.readAllBytes(), contentType, cacheControl);
            cache.put(resource, asset);
            return Optional.of(asset);
        } catch (IOException e) {
            // a directory on a file: class path, or an unreadable entry: nothing to serve
            return Optional.empty();
        }
    }

    private static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(dot + 1) : "";
    }

    private static void send(HttpExchange exchange, Asset asset, boolean head) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", asset.contentType());
        headers.set("Cache-Control", asset.cacheControl());
        headers.set("ETag", asset.etag());
        headers.set("X-Content-Type-Options", "nosniff");
        if (asset.contentType().startsWith("text/html")) {
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("Referrer-Policy", "no-referrer");
        }
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        if (head) {
            headers.set("Content-Length", Integer.toString(asset.bytes().length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, asset.bytes().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(asset.bytes());
        }
    }

    private static void sendText(HttpExchange exchange, int status, String text, boolean head) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** One servable file, read once. */
    record Asset(byte[] bytes, String contentType, String cacheControl, String etag) {
        Asset(byte[] bytes, String contentType, String cacheControl) {
            this(bytes, contentType, cacheControl, etagOf(bytes));
        }

        private static String etagOf(byte[] bytes) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JDK", e);
            }
        }
    }
}
