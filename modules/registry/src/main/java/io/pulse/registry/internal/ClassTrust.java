package io.pulse.registry.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro 1.12 instantiate the classes a deserializer was asked to produce. Avro refuses classes outside trusted
 * packages ({@code SecurityException: Forbidden ... not trusted}); the registry module stays generic by trusting
 * exactly the package of each SpecificRecord class it is configured with (nested records and enums live there too),
 * added to, never replacing, whatever the process already trusts. Idempotent per package.
 */
public final class ClassTrust {

    private static final Set<String> TRUSTED = ConcurrentHashMap.newKeySet();

    private ClassTrust() {
    }

    /** Trusts the package {@code type} is in. */
    public static void trustPackageOf(Class<?> type) {
        trustPackage(type.getPackageName());
    }

    /**
     * Trusts the namespaces of every named type in {@code schema}: generated classes live in their schema's
     * namespace, and a record may nest types from other namespaces. Only for reader schemas taken from local
     * generated classes, never for a schema that came with the data.
     */
    public static void trustNamespacesOf(Schema schema) {
        trustNamespaces(schema, new HashSet<>());
    }

    private static void trustNamespaces(Schema schema, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    trustNamespace(schema);
                    schema.getFields().forEach(f -> trustNamespaces(f.schema(), seen));
                }
            }
            case ENUM, FIXED -> trustNamespace(schema);
            case ARRAY -> trustNamespaces(schema.getElementType(), seen);
            case MAP -> trustNamespaces(schema.getValueType(), seen);
            case UNION -> schema.getTypes().forEach(t -> trustNamespaces(t, seen));
            default -> {
                // primitives are java.lang types, trusted by Avro already
            }
        }
    }

    private static void trustNamespace(Schema named) {
        if (named.getNamespace() != null && !named.getNamespace().isEmpty()) {
            trustPackage(named.getNamespace());
        }
    }

    private static void trustPackage(String pkg) {
        if (TRUSTED.contains(pkg)) {
            return;
        }
        synchronized (ClassTrust.class) {
            if (TRUSTED.add(pkg)) {
                ClassSecurityValidator.ClassSecurityPredicate inPackage = c -> pkg.equals(c.getPackageName());
                ClassSecurityValidator.setGlobal(
                        ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), inPackage));
            }
        }
    }
}
