package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.dashboard.testing.HeadlessChromium;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.simulator.EventSimulator;
import io.pulse.simulator.SimulationConfig;
import io.pulse.simulator.publish.EventPublisher;
import io.pulse.testsupport.PulseIntegrationTest;
import io.pulse.testsupport.TestTopics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The dashboard, served by a real pipeline on the real broker and registry, in a real headless Chromium: it shows
 * live data, a user page opens from the search box, and the charts are drawn. Screenshots are kept in
 * {@code target/screenshots/}.
 */
@PulseIntegrationTest
class DashboardEndToEndTest {

    private static final Duration LIVE = Duration.ofSeconds(60);
    /** A chart is drawn when its Chart.js instance has data and its plot area has data-coloured pixels. */
    private static final String CHART_DRAWN = """
            const c = document.getElementById(arguments[0]);
            const chart = window.Chart && Chart.getChart(c);
            if (!c || !chart || c.width === 0) return false;
            const a = chart.chartArea;
            const px = c.getContext('2d').getImageData(a.left, a.top, Math.max(1, a.right - a.left),
                Math.max(1, a.bottom - a.top)).data;
            let coloured = 0;
            for (let i = 0; i < px.length; i += 4) {
              if (px[i + 3] > 0 && Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 60) {
                coloured++;
              }
            }
            return chart.data.datasets.some(d => d.data.length > 0) && coloured > 100;
            """;

    @TempDir
    Path stateDir;

    @Test
    void shouldShowLiveDataAndAUserPageWithCharts(LocalInfra infra) throws Exception {
        String suffix = TestTopics.unique("dash");
        Map<String, Object> settings = new HashMap<>();
        settings.put(PulseConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers());
        settings.put(PulseConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
        settings.put(PulseConfig.APPLICATION_ID, "pulse-" + suffix);
        settings.put(PulseConfig.STATE_DIR, stateDir.toString());
        settings.put(PulseConfig.HTTP_PORT, "0");
        String events = "events-" + suffix;
        settings.put(PulseConfig.TOPIC_USER_EVENTS, events);
        settings.put(PulseConfig.TOPIC_PREDICTIONS, "predictions-" + suffix);
        settings.put(PulseConfig.TOPIC_DLQ, "dlq-" + suffix);
        settings.put(PulseConfig.TOPIC_CHURN_ALERTS, "churn-" + suffix);
        settings.put(PulseConfig.TOPIC_FRAUD_ALERTS, "fraud-" + suffix);
        settings.put(PulseConfig.TOPIC_LABELS, "labels-" + suffix);
        settings.put(PulseConfig.TOPIC_MODEL_WEIGHTS, "weights-" + suffix);
        Path screenshots = Files.createDirectories(Path.of("target", "screenshots"));

        try (PulsePipeline pipeline = new PulsePipeline(new PulseConfig(settings)).start();
             HeadlessChromium browser = HeadlessChromium.start(1280, 800)) {
            assertThat(pipeline.awaitRunning(LIVE)).isTrue();
            // Given events flowing into the pipeline
            Map<String, Object> producer = new HashMap<>(Map.of("bootstrap.servers", infra.bootstrapServers(),
                    "schema.registry.url", infra.schemaRegistryUrl()));
            try (EventPublisher publisher = new EventPublisher(producer, events)) {
                publisher.publish(new EventSimulator(SimulationConfig.defaults().withSeed(3).withUsers(20)
                        .withStart(Instant.now().minus(Duration.ofDays(2)))), 1500, n -> { });
            }
            URI dashboard = URI.create("http://127.0.0.1:" + pipeline.httpPort() + "/");

            // When the dashboard opens, it shows the live data
            browser.open(dashboard);
            await().alias("the overview shows the scored events").atMost(LIVE).untilAsserted(() -> {
                assertThat(browser.driver().findElement(By.id("kpi-predictions")).getText().replace(",", ""))
                        .matches("\\d+").isNotEqualTo("0");
                for (String chart : List.of("chart-rate", "chart-churn", "chart-fraud")) {
                    assertThat((Boolean) browser.script(CHART_DRAWN, chart)).as("%s drawn", chart).isTrue();
                }
            });
            browser.screenshot(screenshots.resolve("e2e-overview.png"));

            // and a user found through the search box has a page with charts
            String user = (String) browser.script(
                    "const o = document.querySelector('#recent-users option'); return o ? o.value : null");
            assertThat(user).isNotNull();
            browser.driver().findElement(By.id("user-search-input")).sendKeys(user);
            browser.driver().findElement(By.cssSelector("#user-search button[type=submit]")).click();
            await().alias("the user page shows the user's charts").atMost(LIVE).untilAsserted(() -> {
                assertThat(browser.driver().getCurrentUrl()).contains("/user?id=");
                assertThat(browser.driver().findElement(By.id("user-id")).getText().trim()).isEqualTo(user);
                for (String chart : List.of("chart-scores", "chart-next")) {
                    assertThat((Boolean) browser.script(CHART_DRAWN, chart)).as("%s drawn", chart).isTrue();
                }
            });
            browser.screenshot(screenshots.resolve("e2e-user.png"));
        }
    }

}
