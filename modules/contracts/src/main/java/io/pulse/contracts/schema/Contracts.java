package io.pulse.contracts.schema;

import io.pulse.contracts.Alert;
import io.pulse.contracts.AuditRecord;
import io.pulse.contracts.ErasureRequest;
import io.pulse.contracts.Label;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.UserInterests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The Pulse data contracts: the current schema of every message type, the schemas of earlier released versions (kept
 * as fixtures so compatibility can be checked), and {@link #trustGeneratedClasses()}.
 */
public final class Contracts {

    /** The package all generated contract classes live in. */
    public static final String GENERATED_PACKAGE = "io.pulse.contracts";

    /** Released contract versions, oldest first; the directory names under {@code schemas/released/}. */
    public static final List<String> RELEASED_VERSIONS = List.of("v1", "v2", "v3");

    /** Current schemas by record simple name. */
    public static final Map<String, Schema> CURRENT = Map.of(
            "UserEvent", UserEvent.getClassSchema(),
            "Prediction", Prediction.getClassSchema(),
            "Alert", Alert.getClassSchema(),
            "ModelBundle", ModelBundle.getClassSchema(),
            "Label", Label.getClassSchema(),
            "ErasureRequest", ErasureRequest.getClassSchema(),
            "AuditRecord", AuditRecord.getClassSchema(),
            "UserInterests", UserInterests.getClassSchema());

    private static final String JAVA_STRING_PROPERTY = "avro.java.string";

    private static volatile boolean trusted;

    private Contracts() {
    }

    /**
     * Allows Avro to instantiate the generated contract classes when decoding. Avro 1.12 only instantiates classes
     * from trusted packages ({@code SecurityException: Forbidden ... not trusted} otherwise); this adds exactly
     * {@value #GENERATED_PACKAGE} to whatever the process already trusts. Idempotent and thread-safe; call it once
     * at start-up (serdes call it for you).
     */
    public static void trustGeneratedClasses() {
        if (trusted) {
            return;
        }
        synchronized (Contracts.class) {
            if (trusted) {
                return;
            }
            ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
            ClassSecurityValidator.ClassSecurityPredicate contracts = type -> {
                Package pkg = type.getPackage();
                return pkg != null && pkg.getName().equals(GENERATED_PACKAGE);
            };
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous, contracts));
            trusted = true;
        }
    }

    /**
     * The schema without the Java-only {@code avro.java.string} properties that code generation adds, i.e. exactly
     * the schema of the {@code .avsc} file. This is the form to register, so that producers in any language that
     * load the same file end up with the same registered schema.
     */
    public static Schema portable(Schema schema) {
        String json = schema.toString()
                .replace(",\"" + JAVA_STRING_PROPERTY + "\":\"String\"", "")
                .replace("{\"type\":\"string\"}", "\"string\"");
        return new Schema.Parser().parse(json);
    }

    /** The current schema file as written in {@code schemas/NAME.avsc}. */
    public static Schema currentFromFile(String name) {
        return parse("pulse-schemas/" + name + ".avsc");
    }

    /** The schema of record {@code name} as released in contract version {@code version}, e.g. {@code v1}. */
    public static Schema released(String version, String name) {
        return parse("pulse-schemas/released/" + version + "/" + name + ".avsc");
    }

    /**
     * All released versions of one record's schema, oldest first; empty for a record added after the last release
     * (a new schema is an addition to the contract, never a change to a released version).
     */
    public static List<Schema> releasedHistory(String name) {
        List<Schema> history = new ArrayList<>();
        for (String version : RELEASED_VERSIONS) {
            if (isReleased(version, name)) {
                history.add(released(version, name));
            }
        }
        return history;
    }

    /** Whether record {@code name} was part of contract version {@code version}. */
    public static boolean isReleased(String version, String name) {
        return Contracts.class.getClassLoader()
                .getResource("pulse-schemas/released/" + version + "/" + name + ".avsc") != null;
    }

    private static Schema parse(String resource) {
        try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(resource)) {
            Objects.requireNonNull(in, () -> "schema resource " + resource + " is not on the classpath");
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }
}
