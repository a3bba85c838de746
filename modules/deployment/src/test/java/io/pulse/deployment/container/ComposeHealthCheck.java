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
 * The health checks as docker-compose.yml writes them ({@code healthcheck.test}), so the container tests run exactly
 * the probes the Compose file configures rather than copies of them.
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

    /**
     * The health check command of {@code service} as Docker runs an exec-form ({@code CMD}) check: the arguments
     * after {@code CMD}, no shell.
     */
    static List<String> command(String service) {
        List<String> test = new ArrayList<>(test(service));
        if (test.size() < 2 || !"CMD".equals(test.get(0))) {
            throw new IllegalStateException(service + "'s health check is not an exec-form [CMD, ...] list: " + test);
        }
        return List.copyOf(test.subList(1, test.size()));
    }

    private static List<String> pipelineTest() {
        return test("pipeline-1");
    }

    @SuppressWarnings("unchecked")
    private static List<String> test(String service) {
        Map<String, Object> compose = load(repositoryRoot().resolve("docker-compose.yml"));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> definition = (Map<String, Object>) services.get(service);
        Map<String, Object> healthCheck = (Map<String, Object>) definition.get("healthcheck");
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
