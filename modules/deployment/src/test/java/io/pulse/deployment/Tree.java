package io.pulse.deployment;

import java.util.List;
import java.util.Map;

/**
 * Navigation in parsed YAML/JSON trees with failures that say where: {@code Tree.map(service, "kafka")}. Missing
 * keys are test failures with the path, not {@code NullPointerException}s.
 */
final class Tree {

    private Tree() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String where) {
        if (!(node instanceof Map)) {
            throw new AssertionError(where + ": expected a mapping, got " + describe(node));
        }
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String where) {
        if (!(node instanceof List)) {
            throw new AssertionError(where + ": expected a list, got " + describe(node));
        }
        return (List<Object>) node;
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return map(required(parent, key), key);
    }

    static List<Object> list(Map<String, Object> parent, String key) {
        return list(required(parent, key), key);
    }

    static String string(Map<String, Object> parent, String key) {
        Object value = required(parent, key);
        if (value instanceof Map || value instanceof List) {
            throw new AssertionError(key + ": expected a scalar, got " + describe(value));
        }
        return value.toString();
    }

    static Object required(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            throw new AssertionError("missing '" + key + "' in " + parent.keySet());
        }
        return value;
    }

    /** Follows a path of keys: {@code at(deployment, "spec", "template", "spec")}. */
    static Map<String, Object> at(Map<String, Object> node, String... keys) {
        Map<String, Object> current = node;
        StringBuilder path = new StringBuilder();
        for (String key : keys) {
            path.append('.').append(key);
            current = map(required(current, key), path.toString());
        }
        return current;
    }

    private static String describe(Object node) {
        return node == null ? "nothing" : node.getClass().getSimpleName() + " " + node;
    }
}
