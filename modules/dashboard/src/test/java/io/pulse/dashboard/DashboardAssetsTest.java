package io.pulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardAssetsTest {

    private static HttpServer server;
    private static HttpClient client;
    private static String base;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        DashboardAssets.register(server);
        // what the pipeline keeps for itself: must win over "/"
        server.createContext("/api/", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(299, -1);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @Test
    void shouldServeTheOverviewPageAtTheRoot() throws Exception {
        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'self'");
        assertThat(response.body()).contains("<title>Pulse · live</title>", "/static/vendor/chart.umd.js",
                "/static/js/overview.js");
        assertThat(get("/index.html").body()).isEqualTo(response.body());
    }

    @Test
    void shouldServeTheUserPageWhateverTheQuery() throws Exception {
        HttpResponse<String> response = get("/user?id=user-7");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(response.body()).contains("/static/js/user.js", "chart-scores");
    }

    @Test
    void shouldServeScriptsAndStylesWithTheirContentTypes() throws Exception {
        HttpResponse<String> script = get("/static/js/overview.js");
        HttpResponse<String> style = get("/static/css/dashboard.css");
        HttpResponse<String> icon = get("/static/img/favicon.svg");

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(script.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(style.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    }

    @Test
    void shouldServeChartJsFromItsWebJarAtAStablePath() throws Exception {
        HttpResponse<String> response = get(DashboardAssets.CHART_JS_PATH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(response.body()).contains("Chart.js v" + DashboardAssets.chartJsVersion());
        assertThat(DashboardAssets.chartJsVersion()).startsWith("4.");
        assertThat(get("/static/vendor/chart.umd.js.map").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerNotModifiedWhenTheETagMatches() throws Exception {
        String etag = get("/static/js/common.js").headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = client.send(HttpRequest.newBuilder(URI.create(base + "/static/js/common.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void shouldAnswerHeadWithoutABody() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/static/js/charts.js"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void shouldRefuseMethodsOtherThanGetAndHead() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nope", "/static/", "/static/js/missing.js", "/static/js", "/static/vendor/chart.js",
            "/static/vendor/chart.umd.min.js", "/static/index", "/favicon.ico", "/user/extra", "/static/js/.hidden.js"})
    void shouldAnswerNotFoundForUnknownPaths(String path) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/static/../io/pulse/dashboard/DashboardAssets.class",
        "/static/js/../../static/index.html",
        "/static/%2e%2e/DashboardAssets.class",
        "/static/..%2fDashboardAssets.class",
        "/static/%2e%2e%2f%2e%2e%2fMETA-INF/MANIFEST.MF",
        "/static/..%5c..%5cDashboardAssets.class",
        "/static//etc/passwd",
        "/static/./index.html",
        "/static/vendor/../../../META-INF/maven/org.webjars.npm/chart.js/pom.properties",
    })
    void shouldRefusePathTraversal(String path) throws Exception {
        // a raw socket: HTTP clients would normalise the dots away before sending
        String response = rawGet(path);

        assertThat(response).startsWith("HTTP/1.1 404");
        assertThat(response).doesNotContain("CAFEBABE", "Manifest-Version", "version=");
    }

    @Test
    void shouldAcceptOnlyPlainRelativePathSegments() {
        assertThat(DashboardAssets.isSafeRelativePath("js/overview.js")).isTrue();
        assertThat(DashboardAssets.isSafeRelativePath("vendor/chart.umd.js")).isTrue();
        assertThat(DashboardAssets.isSafeRelativePath("../x.js")).isFalse();
        assertThat(DashboardAssets.isSafeRelativePath("js/../x.js")).isFalse();
        assertThat(DashboardAssets.isSafeRelativePath("js\\..\\x.js")).isFalse();
        assertThat(DashboardAssets.isSafeRelativePath("js//x.js")).isFalse();
        assertThat(DashboardAssets.isSafeRelativePath("/x.js")).isFalse();
        assertThat(DashboardAssets.isSafeRelativePath(".hidden")).isFalse();
        assertThat(DashboardAssets.isSafeRelativePath("")).isFalse();
    }

    @Test
    void shouldLeaveOtherContextsToTheServersOwner() throws Exception {
        assertThat(get("/api/overview").statusCode()).isEqualTo(299);
    }

    @Test
    void shouldRefuseToRegisterOnNoServer() {
        assertThatThrownBy(() -> DashboardAssets.register(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server must not be null");
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String rawGet(String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
