package io.pulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.pulse.dashboard.testing.FakePulseApi;
import io.pulse.dashboard.testing.HeadlessChromium;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium, against {@link FakePulseApi} on a loopback JDK HttpServer that also
 * serves the assets through {@link DashboardAssets#register}. Screenshots go to {@code target/screenshots/};
 * {@code -Dpulse.readme.update=true} also writes the user page's to {@value #DOCS_SCREENSHOT} (the README shows it).
 */
@Tag("integration")
class DashboardBrowserTest {

    private static final Duration LIVE_DATA = Duration.ofSeconds(30);
    /** Saturated pixels in a chart's plot area: data (grid lines are grey). */
    private static final long MIN_DATA_PIXELS = 300;
    private static final List<String> OVERVIEW_CHARTS = List.of("chart-rate", "chart-churn", "chart-fraud");
    private static final List<String> USER_CHARTS =
            List.of("chart-scores", "chart-next", "chart-next-history", "chart-interests", "chart-shift");
    /** The user page with an interest model, in the repository's docs (relative to this module). */
    private static final String DOCS_SCREENSHOT = "../../docs/dashboard-user.png";

    /** Counts a canvas's painted pixels, and those saturated enough to be data rather than grey axes and text. */
    private static final String CANVAS_PIXELS = """
            const c = document.getElementById(arguments[0]);
            const chart = window.Chart && Chart.getChart(c);
            if (!c || !chart || c.width === 0 || c.height === 0) return { chart: !!chart, painted: 0, data: 0, points: 0 };
            // only the plot area: legend swatches are coloured too
            const a = chart.chartArea;
            const px = c.getContext('2d').getImageData(a.left, a.top, Math.max(1, a.right - a.left), Math.max(1, a.bottom - a.top)).data;
            let painted = 0, data = 0;
            for (let i = 0; i < px.length; i += 4) {
              if (px[i + 3] === 0) continue;
              painted++;
              if (Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 60) data++;
            }
            return { chart: true, painted, data, points: chart.data.datasets.reduce((n, d) => n + d.data.length, 0) };
            """;

    private static HeadlessChromium browser;
    private static Path screenshots;

    private FakePulseApi api;
    private HttpServer server;

    @BeforeAll
    static void startBrowser() throws IOException {
        screenshots = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "screenshots"));
        browser = HeadlessChromium.start(1280, 800);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldShowWaitingStateAndThenLiveDataOnTheOverview() throws IOException {
        // Given a pipeline that has not seen an event yet
        start(FakePulseApi.waiting());

        // When the overview opens
        browser.open(url("/"));

        // Then it says it is waiting rather than drawing empty charts
        await().alias("overview polled the API at least once").atMost(LIVE_DATA)
                .until(() -> updates() >= 1);
        assertThat(text("kpi-rate")).isEqualTo("—");
        assertThat(cardState("card-rate")).isEqualTo("waiting");
        assertThat(isDisplayed("#card-rate .placeholder")).isTrue();
        assertThat(browser.driver().findElement(By.cssSelector("#card-rate .placeholder")).getText())
                .startsWith("Waiting for data");
        browser.screenshot(screenshots.resolve("overview-waiting.png"));

        // When events start flowing
        api.startFlowing();

        // Then tiles fill, every chart is drawn, alerts and models appear
        await().alias("overview shows live data").atMost(LIVE_DATA).untilAsserted(() -> {
            assertThat(text("kpi-rate")).matches("\\d+\\.\\d");
            assertThat(text("kpi-latency")).matches("\\d+\\.\\d ms");
            assertThat(text("kpi-latency-sub")).matches("p50 [\\d.]+ · p95 [\\d.]+");
            for (String card : List.of("card-rate", "card-churn", "card-fraud", "card-alerts", "card-models", "card-users")) {
                assertThat(cardState(card)).as(card).isEqualTo("ready");
            }
            assertThat(browser.driver().findElements(By.cssSelector("#alert-feed li.alert"))).isNotEmpty();
            assertChartsDrawn(OVERVIEW_CHARTS);
        });
        assertThat(browser.driver().findElements(By.cssSelector("#alert-feed li.alert.fraud"))).isNotEmpty();
        // a reason that is an entity's feature names the entity (issue 14: "terminal T-17 risk 0.40 over 7 days")
        WebElement terminalReason = browser.driver().findElement(
                By.cssSelector("#alert-feed li.alert.fraud .chip.entity-reason"));
        assertThat(terminalReason.getAttribute("data-entity")).isEqualTo("terminal:T-17");
        assertThat(terminalReason.findElement(By.cssSelector(".entity")).getText()).isEqualTo("terminal T-17");
        assertThat(terminalReason.getText()).startsWith("terminal T-17 · risk_7d 0.40");
        // and the riskiest entities, riskiest first (polled every few refreshes)
        await().alias("riskiest entities shown").atMost(LIVE_DATA).untilAsserted(() -> {
            assertThat(cardState("card-entities")).isEqualTo("ready");
            assertThat(browser.driver().findElements(By.cssSelector("#entities-body tr[data-entity]")))
                    .extracting(row -> row.getAttribute("data-entity"))
                    .containsExactly("terminal:T-17", "terminal:T-203", "terminal:T-9");
        });
        assertThat(browser.driver().findElement(By.cssSelector("#entities-body tr[data-entity] td.n")).getText())
                .isEqualTo("40 %");
        assertThat(text("entities-sub")).startsWith("all entities · risk over 7d");
        // interest-shift alerts are shown like the others, with their own badge and the categories that gained
        List<WebElement> shifts = browser.driver().findElements(By.cssSelector("#alert-feed li.alert.interest"));
        assertThat(shifts).isNotEmpty();
        assertThat(shifts.get(0).findElement(By.cssSelector(".badge.interest")).getText()).isEqualTo("INTEREST SHIFT");
        assertThat(shifts.get(0).findElement(By.cssSelector(".summary")).getText())
                .startsWith("interests moved from Beauty>Skin Care to Electronics>Audio");
        assertThat(shifts.get(0).findElement(By.cssSelector(".chips .chip")).getText())
                .startsWith("category:Electronics>Audio");
        assertThat(text("kpi-alerts")).matches("\\d+ · \\d+ · [1-9]\\d*");
        assertThat(browser.driver().findElements(By.cssSelector("#alert-feed .chips .chip"))).isNotEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("#models-body tr[data-version]"))).hasSize(2);
        assertThat(text("status-text")).startsWith("live");
        assertThat(isDisplayed("#banner")).isFalse();
        // a busy instance follows a sample of its active users, and the recent-users card says so
        assertThat(text("recent-users-note"))
                .isEqualTo("open one to see its timeline · following 1 in 4 users (more are active than timelines kept)");

        // And it keeps refreshing
        String events = text("kpi-events");
        await().alias("event total refreshes").atMost(LIVE_DATA).until(() -> !text("kpi-events").equals(events));
        await().alias("rate chart has a few seconds of data").atMost(LIVE_DATA)
                .until(() -> datasetPoints("chart-rate") >= 6);
        browser.screenshot(screenshots.resolve("overview.png"));
        browser.fullPageScreenshot(screenshots.resolve("overview-full.png"));
        assertThat(severeConsoleMessages()).isEmpty();
    }

    @Test
    void shouldOpenAUserPageFromTheSearchBoxAndDrawItsCharts() throws IOException {
        start(FakePulseApi.flowing());
        browser.open(url("/"));
        await().alias("recent users offered as suggestions").atMost(LIVE_DATA).until(() ->
                ((Number) browser.script("return document.querySelectorAll('#recent-users option').length")).intValue() > 0);

        // When a user id is searched for
        browser.driver().findElement(By.id("user-search-input")).sendKeys("user-7");
        browser.driver().findElement(By.cssSelector("#user-search button[type=submit]")).click();

        // Then the user page shows the user's prediction, history and events, as charts
        await().alias("user page opened").atMost(LIVE_DATA)
                .until(() -> browser.driver().getCurrentUrl().endsWith("/user?id=user-7"));
        await().alias("user page shows live data").atMost(LIVE_DATA).untilAsserted(() -> {
            assertThat(text("user-id")).isEqualTo("user-7");
            for (String card : List.of("card-scores", "card-next", "card-next-history", "card-windows", "card-events",
                    "card-interests", "card-recommendations")) {
                assertThat(cardState(card)).as(card).isEqualTo("ready");
            }
            assertThat(text("kpi-churn")).matches("\\d+\\.\\d %");
            assertThat(text("kpi-fraud")).matches("\\d\\.\\d{3}");
            assertThat(text("kpi-next")).isIn("VIEW", "CLICK", "ADD_TO_CART", "PURCHASE", "RATING", "LOGIN", "PAYMENT");
            assertChartsDrawn(USER_CHARTS);
        });
        assertThat(datasetPoints("chart-scores")).isGreaterThanOrEqualTo(2 * 30);
        assertThat(browser.driver().findElements(By.cssSelector("#events-body tr[data-event-id]"))).hasSizeGreaterThan(20);
        assertThat(browser.driver().findElements(By.cssSelector("#windows-body tr"))).hasSize(4);
        assertThat(text("fact-model")).isEqualTo(FakePulseApi.CURRENT_MODEL);
        browser.screenshot(screenshots.resolve("user.png"));
        browser.fullPageScreenshot(screenshots.resolve("user-full.png"));
        assertThat(severeConsoleMessages()).isEmpty();
    }

    @Test
    void shouldShowTheInterestTrajectoryAndTheRecommendationsOfAModelWithInterestHeads() throws IOException {
        start(FakePulseApi.flowing());

        browser.open(url("/user?id=user-4"));

        // Then the trajectory stacks the categories' probabilities per event, with the interest shift under it
        await().alias("interest trajectory drawn").atMost(LIVE_DATA).untilAsserted(() -> {
            assertThat(cardState("card-interests")).isEqualTo("ready");
            assertThat(cardState("card-recommendations")).isEqualTo("ready");
            assertChartsDrawn(List.of("chart-interests", "chart-shift"));
        });
        List<String> shown = datasetLabels("chart-interests");
        assertThat(shown).last().isEqualTo("other");
        assertThat(shown).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(label -> assertThat(label).matches("Beauty › .+|other"));
        // 15 of the fake's first events were scored by a model without interest heads: they are not charted
        assertThat(text("interests-range"))
                .matches("shift now 0\\.\\d{3} · \\d+ events \\(15 earlier: no interest heads\\)");
        long scored = datasetPoints("chart-shift");
        assertThat(scored).isGreaterThanOrEqualTo(10);
        assertThat(datasetPoints("chart-interests")).isEqualTo(scored * shown.size());
        assertThat(isDisplayed("#interests-note")).isFalse();

        // and what Pulse recommended after the latest event: the next categories and the top items with scores
        assertThat(browser.driver().findElements(By.cssSelector("#next-categories-body tr[data-category]")))
                .hasSize(3);
        List<WebElement> items =
                browser.driver().findElements(By.cssSelector("#recommendations-items tr[data-item-id]"));
        assertThat(items).hasSize(10);
        assertThat(items.get(0).getText()).matches("1 B0\\d{8} Beauty › .+ \\d+\\.\\d{3}");
        assertThat(browser.driver().findElements(By.cssSelector("#events-body tr[data-event-id]")).get(0).getText())
                .contains("B0", "Beauty › ");
        Path full = browser.fullPageScreenshot(screenshots.resolve("user-interests-full.png"));
        if (Boolean.getBoolean("pulse.readme.update")) {
            Files.copy(full, Path.of(System.getProperty("basedir", "."), DOCS_SCREENSHOT),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        browser.script("document.getElementById('card-interests').scrollIntoView({ block: 'center' })");
        browser.screenshot(screenshots.resolve("user-interests.png"));
        assertThat(severeConsoleMessages()).isEmpty();
    }

    @Test
    void shouldSayPlainlyThatAModelWithoutInterestHeadsHasNoInterestsInsteadOfDrawingEmptyCharts()
            throws IOException {
        start(FakePulseApi.flowing().withoutInterestHeads());

        browser.open(url("/user?id=user-4"));

        await().alias("no interest heads explained").atMost(LIVE_DATA).untilAsserted(() -> {
            assertThat(cardState("card-scores")).isEqualTo("ready");
            assertThat(cardState("card-interests")).isEqualTo("none");
            assertThat(cardState("card-recommendations")).isEqualTo("none");
        });
        assertThat(text("interests-note")).startsWith("The model that scored this user's latest event ("
                + FakePulseApi.CURRENT_MODEL + ") has no interest heads");
        assertThat(text("recommendations-note")).contains("has no interest heads");
        for (String hidden : List.of("#interests-box", "#shift-box", "#recommendations-body")) {
            assertThat(isDisplayed(hidden)).as(hidden).isFalse();
        }
        assertThat(datasetPoints("chart-interests")).isZero();
        assertThat(datasetPoints("chart-shift")).isZero();
        browser.script("document.getElementById('card-interests').scrollIntoView({ block: 'center' })");
        browser.screenshot(screenshots.resolve("user-no-interests.png"));
        assertThat(severeConsoleMessages()).isEmpty();
    }

    @Test
    void shouldSaySoWhenTheUserIsUnknown() throws IOException {
        start(FakePulseApi.flowing());

        browser.open(url("/user?id=nobody-here"));

        await().alias("unknown user explained").atMost(LIVE_DATA).untilAsserted(() -> {
            assertThat(isDisplayed("#user-empty")).isTrue();
            assertThat(text("user-empty-title")).isEqualTo("No user “nobody-here”");
            assertThat(browser.driver().findElements(By.cssSelector("#user-empty-suggestions a.chip"))).isNotEmpty();
        });
        assertThat(isDisplayed("#user-main")).isFalse();
        browser.screenshot(screenshots.resolve("user-unknown.png"));
    }

    @Test
    void shouldShowTheErrorWhenTheBackendFailsAndRecover() throws IOException {
        start(FakePulseApi.flowing());
        browser.open(url("/"));
        await().alias("live first").atMost(LIVE_DATA).until(() -> datasetPoints("chart-rate") >= 4);

        // When the API starts failing
        api.failWith(500);

        // Then a banner says so, the status turns red, and the charts keep the last data
        await().alias("failure shown").atMost(LIVE_DATA).untilAsserted(() -> {
            assertThat(isDisplayed("#banner")).isTrue();
            assertThat(text("banner")).contains("The Pulse API answered with an error", "fake failure 500");
            assertThat(browser.driver().findElement(By.id("status")).getAttribute("data-state")).isEqualTo("error");
        });
        assertChartsDrawn(OVERVIEW_CHARTS);
        browser.screenshot(screenshots.resolve("overview-error.png"));

        // When it recovers, the banner goes
        api.recover();
        await().alias("recovered").atMost(LIVE_DATA).until(() -> !isDisplayed("#banner"));
        assertThat(text("status-text")).startsWith("live");
    }

    @Test
    void shouldSaySoWhenTheBackendIsUnreachable() throws IOException {
        start(FakePulseApi.waiting());
        browser.open(url("/user?id=user-3"));
        await().alias("page loaded").atMost(LIVE_DATA).until(() -> updates() >= 1);

        server.stop(0);
        server = null;

        await().alias("unreachable shown").atMost(LIVE_DATA).untilAsserted(() -> {
            assertThat(isDisplayed("#banner")).isTrue();
            assertThat(text("banner")).startsWith("Cannot reach the Pulse API");
            assertThat(text("status-text")).isEqualTo("backend unreachable");
        });
    }

    // ---------------------------------------------------------------- helpers

    private void start(FakePulseApi fake) throws IOException {
        api = fake;
        // leave the previous test's page first: it keeps polling its stopped server, and would log refused
        // connections after the log was emptied but before the next page opens
        browser.driver().get("about:blank");
        browser.consoleMessages(); // drop what earlier tests left in the log
        server = fake.serveWithDashboard(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static String text(String id) {
        return browser.driver().findElement(By.id(id)).getText().trim();
    }

    private static String cardState(String id) {
        return browser.driver().findElement(By.id(id)).getAttribute("data-state");
    }

    private static boolean isDisplayed(String css) {
        return browser.driver().findElement(By.cssSelector(css)).isDisplayed();
    }

    private static long updates() {
        Object n = browser.script("return window.pulseDashboard ? window.pulseDashboard.updates : 0");
        return ((Number) n).longValue();
    }

    private static List<String> datasetLabels(String canvasId) {
        Object labels = browser.script("const c = Chart.getChart(document.getElementById(arguments[0]));"
                + "return c ? c.data.datasets.map(d => d.label) : []", canvasId);
        return ((List<?>) labels).stream().map(String::valueOf).toList();
    }

    private static long datasetPoints(String canvasId) {
        Object n = browser.script("const c = Chart.getChart(document.getElementById(arguments[0]));"
                + "return c ? c.data.datasets.reduce((n, d) => n + d.data.length, 0) : -1", canvasId);
        return ((Number) n).longValue();
    }

    /** Each canvas has a Chart.js instance with data, and saturated (data-coloured) pixels on it. */
    @SuppressWarnings("unchecked")
    private static void assertChartsDrawn(List<String> canvasIds) {
        for (String id : canvasIds) {
            Map<String, Object> info = (Map<String, Object>) browser.script(CANVAS_PIXELS, id);
            assertThat(info.get("chart")).as("Chart.js instance on #%s", id).isEqualTo(true);
            assertThat(((Number) info.get("points")).longValue()).as("data points of #%s", id).isPositive();
            assertThat(((Number) info.get("painted")).longValue()).as("painted pixels of #%s", id).isPositive();
            assertThat(((Number) info.get("data")).longValue()).as("data-coloured pixels of #%s", id)
                    .isGreaterThan(MIN_DATA_PIXELS);
        }
    }

    private static List<String> severeConsoleMessages() {
        return browser.consoleMessages().stream().filter(m -> m.startsWith("SEVERE")).toList();
    }
}
