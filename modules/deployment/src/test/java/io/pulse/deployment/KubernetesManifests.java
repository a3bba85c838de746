package io.pulse.deployment;

import static io.pulse.deployment.Tree.at;
import static io.pulse.deployment.Tree.list;
import static io.pulse.deployment.Tree.map;
import static io.pulse.deployment.Tree.string;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every resource under {@code deploy/kubernetes/}, parsed, and the two Kubernetes rules the tests need: how a
 * container's environment is assembled ({@code envFrom}, then {@code env} with {@code $(VAR)} expansion and field
 * references) and how a label selector matches.
 */
final class KubernetesManifests {

    static final String DIRECTORY = "deploy/kubernetes";
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    /** file name -> its documents. */
    final Map<String, List<Map<String, Object>>> files = new LinkedHashMap<>();

    private KubernetesManifests() {
    }

    static KubernetesManifests load() {
        KubernetesManifests manifests = new KubernetesManifests();
        Path dir = RepositoryFiles.resolve(DIRECTORY);
        try (Stream<Path> paths = Files.list(dir)) {
            for (Path file : paths.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList()) {
                List<Map<String, Object>> documents = new ArrayList<>();
                for (Object document : RepositoryFiles.yamlDocuments(file)) {
                    documents.add(map(document, file.getFileName().toString()));
                }
                manifests.files.put(file.getFileName().toString(), documents);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return manifests;
    }

    /** Every resource (not the kustomization). */
    List<Map<String, Object>> resources() {
        List<Map<String, Object>> resources = new ArrayList<>();
        files.forEach((file, documents) -> documents.stream()
                .filter(document -> !"Kustomization".equals(document.get("kind")))
                .forEach(resources::add));
        return resources;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return resources().stream().filter(resource -> kind.equals(resource.get("kind"))).toList();
    }

    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(resource -> name.equals(name(resource))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + DIRECTORY));
    }

    static String name(Map<String, Object> resource) {
        return string(map(resource, "metadata"), "name");
    }

    /** The pod template's spec of a StatefulSet, Deployment or CronJob. */
    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return "CronJob".equals(workload.get("kind"))
                ? at(workload, "spec", "jobTemplate", "spec", "template", "spec")
                : at(workload, "spec", "template", "spec");
    }

    static Map<String, Object> podLabels(Map<String, Object> workload) {
        Map<String, Object> template = "CronJob".equals(workload.get("kind"))
                ? at(workload, "spec", "jobTemplate", "spec", "template")
                : at(workload, "spec", "template");
        return at(template, "metadata", "labels");
    }

    static Map<String, Object> container(Map<String, Object> workload, String name) {
        return list(podSpec(workload), "containers").stream().map(c -> map(c, "containers"))
                .filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    /** Pod-scoped workloads: every StatefulSet, Deployment and CronJob. */
    List<Map<String, Object>> workloads() {
        return resources().stream()
                .filter(r -> List.of("StatefulSet", "Deployment", "CronJob", "Job").contains(r.get("kind"))).toList();
    }

    /**
     * The environment a container starts with, as the kubelet assembles it: ConfigMaps and Secrets of
     * {@code envFrom} in order, then {@code env}, whose {@code $(VAR)} references see the variables before them, and
     * whose field references are answered from {@code podFields} ({@code metadata.name} -> {@code pulse-0}).
     */
    Map<String, String> environment(Map<String, Object> container, Map<String, String> podFields) {
        Map<String, String> env = new LinkedHashMap<>();
        Object envFrom = container.get("envFrom");
        if (envFrom != null) {
            for (Object source : list(envFrom, "envFrom")) {
                Map<String, Object> from = map(source, "envFrom[]");
                if (from.containsKey("configMapRef")) {
                    env.putAll(configMapData(string(map(from, "configMapRef"), "name")));
                } else if (from.containsKey("secretRef")) {
                    env.putAll(secretData(string(map(from, "secretRef"), "name")));
                }
            }
        }
        Object variables = container.get("env");
        if (variables != null) {
            for (Object node : list(variables, "env")) {
                Map<String, Object> variable = map(node, "env[]");
                String name = string(variable, "name");
                if (variable.containsKey("value")) {
                    env.put(name, expand(String.valueOf(variable.get("value")), env));
                } else {
                    Map<String, Object> valueFrom = map(variable, "valueFrom");
                    if (valueFrom.containsKey("fieldRef")) {
                        String field = string(map(valueFrom, "fieldRef"), "fieldPath");
                        env.put(name, podFields.getOrDefault(field, "<" + field + ">"));
                    } else if (valueFrom.containsKey("configMapKeyRef")) {
                        Map<String, Object> ref = map(valueFrom, "configMapKeyRef");
                        env.put(name, configMapData(string(ref, "name")).get(string(ref, "key")));
                    } else if (valueFrom.containsKey("secretKeyRef")) {
                        Map<String, Object> ref = map(valueFrom, "secretKeyRef");
                        env.put(name, secretData(string(ref, "name")).get(string(ref, "key")));
                    }
                }
            }
        }
        return env;
    }

    /** Kubernetes' {@code $(VAR)} expansion: defined variables are replaced, others left as written. */
    static String expand(String value, Map<String, String> defined) {
        Matcher matcher = VARIABLE_REFERENCE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String replacement = defined.getOrDefault(matcher.group(1), matcher.group(0));
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    Map<String, String> configMapData(String name) {
        Map<String, String> data = new LinkedHashMap<>();
        Object values = named("ConfigMap", name).get("data");
        if (values != null) {
            map(values, "data").forEach((key, value) -> data.put(key, String.valueOf(value)));
        }
        return data;
    }

    Map<String, String> secretData(String name) {
        Map<String, Object> secret = named("Secret", name);
        Map<String, String> data = new LinkedHashMap<>();
        Object encoded = secret.get("data");
        if (encoded != null) {
            map(encoded, "data").forEach((key, value) -> data.put(key,
                    new String(Base64.getDecoder().decode(String.valueOf(value)), StandardCharsets.UTF_8)));
        }
        Object plain = secret.get("stringData");
        if (plain != null) {
            map(plain, "stringData").forEach((key, value) -> data.put(key, String.valueOf(value)));
        }
        return data;
    }

    /** A {@code matchLabels} selector, or a Service's plain selector, against a set of labels. */
    static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        Object matchLabels = selector.containsKey("matchLabels") ? selector.get("matchLabels") : selector;
        if (selector.containsKey("matchExpressions")) {
            throw new AssertionError("matchExpressions are not supported by this test; use matchLabels");
        }
        Map<String, Object> required = map(matchLabels, "matchLabels");
        return !required.isEmpty() && required.entrySet().stream()
                .allMatch(entry -> String.valueOf(entry.getValue()).equals(String.valueOf(labels.get(entry.getKey()))));
    }
}
