package io.pulse.deployment;

import static io.pulse.deployment.Tree.list;
import static io.pulse.deployment.Tree.map;
import static io.pulse.deployment.Tree.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.pipeline.PulseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/prometheus/} and {@code deploy/grafana/}: Prometheus scrapes what Compose runs, Grafana gets the
 * data source and the dashboard where Compose mounts them, and the dashboard asks only for metrics (and labels) a
 * pipeline instance really exports.
 */
class MonitoringFilesTest {

    /** Metrics Prometheus itself adds to every scrape target. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");
    private static final Pattern METRIC = Pattern.compile("\\b((?:pulse|jvm|kafka|process)_[a-z0-9_]+|up)\\b");
    private static final Pattern AGGREGATION_LABELS = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern MATCHER_LABELS = Pattern.compile("([a-z_]+)\\s*(?:=~|!=|!~|=)\\s*\"");

    @TempDir
    static Path stateDir;

    private static Map<String, Set<String>> exported;

    private final ComposeFile compose = ComposeFile.load();

    @BeforeAll
    static void collectExportedMetrics() {
        exported = ExportedMetrics.labelsByName(stateDir);
    }

    @Test
    void shouldScrapeEveryPipelineInstanceOnItsMetricsEndpoint() {
        Map<String, Object> prometheus = compose.service("prometheus");
        Path config = mountedFile(prometheus, "/etc/prometheus/prometheus.yml");
        Map<String, Object> pulseJob = scrapeConfigs(config).stream()
                .filter(job -> "pulse".equals(job.get("job_name"))).findFirst().orElseThrow();
        Set<String> targets = new HashSet<>();
        list(pulseJob, "static_configs").forEach(staticConfig -> list(map(staticConfig, "static_configs"), "targets")
                .forEach(target -> targets.add(target.toString())));

        Set<String> pipelines = new HashSet<>();
        compose.pipelineServices().forEach((name, service) -> pipelines.add(name + ":"
                + PulseSettings.pipelineConfig(ComposeFile.environment(service)).getInt(PulseConfig.HTTP_PORT)));
        assertThat(targets).isEqualTo(pipelines);
        assertThat(string(pulseJob, "metrics_path")).isEqualTo("/metrics");
        assertThat(ComposeFile.command(prometheus)).contains("--config.file=/etc/prometheus/prometheus.yml");
    }

    @Test
    void shouldProvisionThePrometheusDataSourceGrafanaQueries() {
        Map<String, Object> grafana = compose.service("grafana");
        Path provisioning = mountedFile(grafana, "/etc/grafana/provisioning");
        Map<String, Object> datasource = map(list(RepositoryFiles.yaml(
                provisioning.resolve("datasources/prometheus.yml")), "datasources").get(0), "datasources[0]");

        assertThat(string(datasource, "type")).isEqualTo("prometheus");
        assertThat(string(datasource, "url")).isEqualTo("http://prometheus:9090");
        assertThat(compose.services()).containsKey("prometheus");
        assertThat(ComposeFile.command(compose.service("prometheus")))
                .noneMatch(arg -> arg.startsWith("--web.listen-address")); // so Prometheus listens on 9090
        assertThat(dependsOnNames(grafana)).contains("prometheus");
        JsonNode dashboard = dashboard();
        List<String> uids = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> {
            if (!"row".equals(panel.get("type").asText())) {
                uids.add(panel.at("/datasource/uid").asText());
                panel.get("targets").forEach(target -> uids.add(target.at("/datasource/uid").asText()));
            }
        });
        assertThat(uids).isNotEmpty().containsOnly(string(datasource, "uid"));
    }

    @Test
    void shouldLoadTheDashboardFromWhereComposeMountsIt() {
        Map<String, Object> grafana = compose.service("grafana");
        Path provisioning = mountedFile(grafana, "/etc/grafana/provisioning");
        Map<String, Object> provider = map(list(RepositoryFiles.yaml(
                provisioning.resolve("dashboards/pulse.yml")), "providers").get(0), "providers[0]");
        String path = string(map(provider, "options"), "path");

        Path dashboards = mountedFile(grafana, path);
        assertThat(dashboards).isEqualTo(RepositoryFiles.resolve("deploy/grafana/dashboards"));
        String home = ComposeFile.environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(home).startsWith(path + "/");
        assertThat(dashboards.resolve(home.substring(path.length() + 1))).isRegularFile();
    }

    @Test
    void shouldQueryOnlyMetricsAndLabelsPulseExports() {
        List<String> expressions = expressions(dashboard());
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(15);

        Set<String> used = new TreeSet<>();
        for (String expression : expressions) {
            Set<String> metrics = metricsIn(expression);
            assertThat(metrics).as("metrics in " + expression).isNotEmpty();
            Set<String> labels = new HashSet<>(TARGET_LABELS);
            for (String metric : metrics) {
                assertThat(PROMETHEUS_SERIES.contains(metric) || exported.containsKey(metric))
                        .as(metric + " (in " + expression + ") is exported by a pipeline instance").isTrue();
                labels.addAll(exported.getOrDefault(metric, Set.of()));
            }
            assertThat(labelsIn(expression)).as("labels in " + expression).isSubsetOf(labels);
            used.addAll(metrics);
        }
        // the Pulse-specific series are all on the dashboard
        assertThat(used).contains("pulse_events_received_total", "pulse_predictions_total", "pulse_dlq_records_total",
                "pulse_duplicates_dropped_total", "pulse_alerts_total", "pulse_model_step_seconds_bucket",
                "pulse_live_auc", "pulse_live_logloss", "pulse_labels_total", "pulse_rewarms_total");
    }

    @Test
    void shouldLayOutEveryPanelOnceWithATitle() {
        JsonNode dashboard = dashboard();
        Set<Integer> ids = new HashSet<>();
        dashboard.get("panels").forEach(panel -> {
            assertThat(ids.add(panel.get("id").asInt())).as("unique id " + panel.get("id")).isTrue();
            assertThat(panel.get("title").asText()).isNotBlank();
            assertThat(panel.at("/gridPos/w").asInt()).isBetween(1, 24);
            assertThat(panel.at("/gridPos/x").asInt() + panel.at("/gridPos/w").asInt()).isLessThanOrEqualTo(24);
        });
        assertThat(dashboard.get("uid").asText()).isNotBlank();
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> {
            JsonNode targets = panel.get("targets");
            if (targets != null) {
                targets.forEach(target -> expressions.add(target.get("expr").asText()));
            }
        });
        dashboard.at("/templating/list").forEach(variable -> expressions.add(variable.at("/query/query").asText()));
        return expressions;
    }

    private static Set<String> metricsIn(String expression) {
        Set<String> metrics = new TreeSet<>();
        Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            metrics.add(matcher.group(1));
        }
        return metrics;
    }

    private static Set<String> labelsIn(String expression) {
        Set<String> labels = new TreeSet<>();
        Matcher aggregation = AGGREGATION_LABELS.matcher(expression);
        while (aggregation.find()) {
            for (String label : aggregation.group(1).split(",")) {
                labels.add(label.trim());
            }
        }
        Matcher matchers = MATCHER_LABELS.matcher(expression);
        while (matchers.find()) {
            labels.add(matchers.group(1));
        }
        return labels;
    }

    private static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(RepositoryFiles.resolve("deploy/grafana/dashboards/pulse.json").toFile());
        } catch (IOException e) {
            throw new AssertionError("deploy/grafana/dashboards/pulse.json does not parse", e);
        }
    }

    private static List<Map<String, Object>> scrapeConfigs(Path config) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        list(RepositoryFiles.yaml(config), "scrape_configs").forEach(job -> jobs.add(map(job, "scrape_configs")));
        return jobs;
    }

    /** The repository file or directory a service mounts at {@code target}. */
    private Path mountedFile(Map<String, Object> service, String target) {
        String source = ComposeFile.mounts(service).entrySet().stream()
                .filter(mount -> mount.getValue().equals(target)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + target));
        assertThat(source).as("a repository path").startsWith("./");
        Path path = compose.file.getParent().resolve(source).normalize();
        assertThat(Files.exists(path)).as(path + " exists").isTrue();
        return path;
    }

    private static Set<String> dependsOnNames(Map<String, Object> service) {
        return map(Tree.required(service, "depends_on"), "depends_on").keySet();
    }
}
