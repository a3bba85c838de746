package io.pulse.deployment;

import static io.pulse.deployment.Tree.list;
import static io.pulse.deployment.Tree.map;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code docker-compose.yml}, parsed, with the few Compose rules the tests need (environment as map or list). */
final class ComposeFile {

    final Path file;
    final Map<String, Object> root;

    private ComposeFile(Path file) {
        this.file = file;
        this.root = RepositoryFiles.yaml(file);
    }

    static ComposeFile load() {
        return new ComposeFile(RepositoryFiles.resolve("docker-compose.yml"));
    }

    Map<String, Object> services() {
        return map(root, "services");
    }

    Map<String, Object> service(String name) {
        return map(Tree.required(services(), name), "services." + name);
    }

    /** Services started by {@code docker compose up} (not behind a profile) that keep running. */
    Map<String, Map<String, Object>> longRunningServices() {
        Map<String, Map<String, Object>> running = new LinkedHashMap<>();
        services().forEach((name, node) -> {
            Map<String, Object> service = map(node, name);
            if (!service.containsKey("profiles") && !"no".equals(String.valueOf(service.get("restart")))) {
                running.put(name, service);
            }
        });
        return running;
    }

    /** Services running the Pulse image. */
    Map<String, Map<String, Object>> pulseServices() {
        Map<String, Map<String, Object>> pulse = new LinkedHashMap<>();
        services().forEach((name, node) -> {
            Map<String, Object> service = map(node, name);
            if (RepositoryFiles.imageName().equals(service.get("image"))) {
                pulse.put(name, service);
            }
        });
        return pulse;
    }

    /** Services whose command is {@code pipeline}. */
    Map<String, Map<String, Object>> pipelineServices() {
        Map<String, Map<String, Object>> pipelines = new LinkedHashMap<>();
        pulseServices().forEach((name, service) -> {
            if (command(service).get(0).equals("pipeline")) {
                pipelines.put(name, service);
            }
        });
        return pipelines;
    }

    static List<String> command(Map<String, Object> service) {
        return list(Tree.required(service, "command"), "command").stream().map(Object::toString).toList();
    }

    /** A service's environment, from the map or the {@code KEY=VALUE} list form. */
    static Map<String, String> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, String> result = new TreeMap<>();
        if (env instanceof Map<?, ?> entries) {
            entries.forEach((k, v) -> result.put(k.toString(), v == null ? "" : v.toString()));
        } else if (env instanceof List<?> entries) {
            for (Object entry : entries) {
                String[] parts = entry.toString().split("=", 2);
                result.put(parts[0], parts.length == 2 ? parts[1] : "");
            }
        }
        return result;
    }

    /** Short-syntax volume mounts {@code source:target[:mode]} as source -> target. */
    static Map<String, String> mounts(Map<String, Object> service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        Object volumes = service.get("volumes");
        if (volumes == null) {
            return mounts;
        }
        for (Object volume : list(volumes, "volumes")) {
            String[] parts = volume.toString().split(":");
            mounts.put(parts[0], parts[1]);
        }
        return mounts;
    }

    /** The memory limit under {@code deploy.resources.limits.memory}. */
    static Optional<String> memoryLimit(Map<String, Object> service) {
        Object deploy = service.get("deploy");
        if (deploy == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(Tree.at(map(deploy, "deploy"), "resources", "limits").get("memory"))
                .map(Object::toString);
    }
}
