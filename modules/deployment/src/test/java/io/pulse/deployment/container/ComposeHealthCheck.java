package io.pulse.deployment.container;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The pipelines' health check as docker-compose.yml writes it ({@code healthcheck.test} of {@code pipeline-1}), so
 * the container tests run exactly the probe the Compose file configures rather than a copy of it.
 */
final class ComposeHealthCheck {

    private ComposeHealthCheck() {
    }

    /** The probe's command ({@code CMD} dropped) with its URL, the last argument, replaced by {@code readyUrl}. */
    static List<String> pipelineProbe(String readyUrl) {
        List<String> test = new ArrayList<>(pipelineTest());
        if (test.size() < 3 || !"CMD".equals(test.get(0)) || !test.get(test.size() - 1).endsWith("/ready")) {
            throw new IllegalStateException("pipeline-1's health check is no longer [CMD, ..., URL/ready]: " + test);
        }
        test.remove(0);
        test.set(test.size() - 1, readyUrl);
        return test;
    }

    @SuppressWarnings("unchecked")
    private static List<String> pipelineTest() {
        Map<String, Object> compose = load(repositoryRoot().resolve("docker-compose.yml"));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> pipeline = (Map<String, Object>) services.get("pipeline-1");
        Map<String, Object> healthCheck = (Map<String, Object>) pipeline.get("healthcheck");
        return ((List<Object>) healthCheck.get("test")).stream().map(String::valueOf).toList();
    }

    static Path repositoryRoot() {
        String root = System.getProperty("pulse.repository.root");
        if (root == null) {
            throw new IllegalStateException("run through Maven, which passes -Dpulse.repository.root");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
