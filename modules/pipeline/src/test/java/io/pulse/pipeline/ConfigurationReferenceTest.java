package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference's table of pipeline settings ({@code docs/configuration.md}) is generated from
 * {@link PulseConfig#configDef()}: every key the pipeline defines, its environment variable, type, default, valid
 * values and documentation, in definition order. When a key, a default or a description changes in the code, this
 * test fails until the reference says the same, as {@link InputRulesReadmeTest} does for the input rules;
 * {@code -Dpulse.readme.update=true} rewrites the table.
 */
class ConfigurationReferenceTest {

    static final String BEGIN = "<!-- config-keys:begin (generated from PulseConfig.configDef() by"
            + " ConfigurationReferenceTest; -Dpulse.readme.update=true rewrites it) -->\n";
    static final String END = "<!-- config-keys:end -->";
    private static final Path REFERENCE = Path.of("../../docs/configuration.md");
    /** The first cell of a table row: a key in backticks. */
    private static final Pattern ROW_KEY = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

    private static final long SECOND = 1_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long MIB = 1024L * 1024;

    @Test
    void shouldDocumentEveryPipelineSettingWithItsDefault() throws IOException {
        String reference = Files.readString(REFERENCE, StandardCharsets.UTF_8);
        int begin = reference.indexOf(BEGIN);
        int end = reference.indexOf(END);
        assertThat(begin).as("docs/configuration.md has the config-keys markers").isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String documented = reference.substring(begin + BEGIN.length(), end);
        String generated = markdownTable(PulseConfig.configDef());

        if (!documented.equals(generated) && Boolean.getBoolean("pulse.readme.update")) {
            Files.writeString(REFERENCE, reference.substring(0, begin + BEGIN.length()) + generated
                    + reference.substring(end), StandardCharsets.UTF_8);
            documented = generated;
        }

        assertThat(documented).as("docs/configuration.md table (run with -Dpulse.readme.update=true to regenerate)")
                .isEqualTo(generated);
    }

    @Test
    void shouldListEveryKeyTheCodeDefinesAndNoOther() throws IOException {
        String reference = Files.readString(REFERENCE, StandardCharsets.UTF_8);
        String documented = reference.substring(reference.indexOf(BEGIN) + BEGIN.length(), reference.indexOf(END));

        assertThat(keysIn(documented)).as("keys in the reference's table")
                .containsExactlyElementsOf(PulseConfig.configDef().names());
    }

    @Test
    void shouldNameTheEnvironmentVariableThatSetsEachKey() {
        for (String key : PulseConfig.configDef().names()) {
            assertThat(PulseConfig.fromEnvironment(Map.of(environmentVariable(key), "x")))
                    .as("the environment variable documented for " + key).isEqualTo(Map.of(key, "x"));
        }
    }

    @Test
    void shouldRenderDurationsSizesAndInstantsReadably() {
        ConfigDef def = new ConfigDef()
                .define("a.ms", Type.LONG, DAY, ConfigDef.Importance.LOW, "")
                .define("b.ms", Type.LONG, 90 * SECOND, ConfigDef.Importance.LOW, "")
                .define("c.time.ms", Type.LONG, 0L, ConfigDef.Importance.LOW, "")
                .define("d.bytes", Type.LONG, 64 * MIB, ConfigDef.Importance.LOW, "")
                .define("e", Type.DOUBLE, 1e12, ConfigDef.Importance.LOW, "")
                .define("f", Type.DOUBLE, 3.0, ConfigDef.Importance.LOW, "")
                .define("g", Type.STRING, "", ConfigDef.Importance.LOW, "");

        assertThat(defaultCell(def.configKeys().get("a.ms"))).isEqualTo("86400000 (1 day)");
        assertThat(defaultCell(def.configKeys().get("b.ms"))).isEqualTo("90000 (90 s)");
        assertThat(defaultCell(def.configKeys().get("c.time.ms"))).isEqualTo("0 (1970-01-01T00:00:00Z)");
        assertThat(defaultCell(def.configKeys().get("d.bytes"))).isEqualTo("67108864 (64 MiB)");
        assertThat(defaultCell(def.configKeys().get("e"))).isEqualTo("1e12");
        assertThat(defaultCell(def.configKeys().get("f"))).isEqualTo("3");
        assertThat(defaultCell(def.configKeys().get("g"))).isEqualTo("empty");
    }

    /** One row per key, in the order {@link PulseConfig} defines them. */
    static String markdownTable(ConfigDef def) {
        StringBuilder table = new StringBuilder()
                .append("| key | environment variable | type | default | valid values | meaning |\n")
                .append("|---|---|---|---|---|---|\n");
        for (ConfigKey key : def.configKeys().values()) {
            table.append("| `").append(key.name).append("` | `").append(environmentVariable(key.name)).append("` | ")
                    .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ").append(defaultCell(key))
                    .append(" | ").append(key.validator instanceof Range ? "`" + key.validator + "`" : "")
                    .append(" | ").append(cell(key.documentation)).append(" |\n");
        }
        return table.toString();
    }

    /** {@code fraud.alert.threshold} is set by {@code PULSE_FRAUD_ALERT_THRESHOLD}. */
    static String environmentVariable(String key) {
        return "PULSE_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    static String defaultCell(ConfigKey key) {
        Object value = key.defaultValue;
        if (value == null) {
            return "unset";
        }
        return switch (key.type) {
            case STRING -> value.toString().isEmpty() ? "empty" : "`" + value + "`";
            case LIST -> "`" + String.join(",", ((List<?>) value).stream().map(Object::toString).toList()) + "`";
            case DOUBLE -> BigDecimal.valueOf((Double) value).stripTrailingZeros().toString().replace("E+", "e")
                    .toLowerCase(Locale.ROOT);
            case LONG -> withUnit(key.name, (Long) value);
            default -> value.toString();
        };
    }

    /** Milliseconds read as a duration or, for {@code *.time.ms}, an instant; bytes in MiB. */
    private static String withUnit(String name, long value) {
        if (name.endsWith(".time.ms")) {
            return value + " (" + Instant.ofEpochMilli(value) + ")";
        }
        if (name.endsWith(".ms")) {
            return value + " (" + duration(value) + ")";
        }
        if (name.endsWith(".bytes") && value % MIB == 0) {
            return value + " (" + value / MIB + " MiB)";
        }
        return Long.toString(value);
    }

    private static String duration(long millis) {
        if (millis >= DAY && millis % DAY == 0) {
            return plural(millis / DAY, "day");
        }
        if (millis >= HOUR && millis % HOUR == 0) {
            return plural(millis / HOUR, "hour");
        }
        if (millis >= MINUTE && millis % MINUTE == 0) {
            return millis / MINUTE + " min";
        }
        return millis % SECOND == 0 ? millis / SECOND + " s" : millis + " ms";
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }

    /** A table cell holds no line breaks and no unescaped pipes. */
    private static String cell(String text) {
        return text == null ? "" : text.replace("\n", " ").replace("|", "\\|");
    }

    private static List<String> keysIn(String table) {
        List<String> keys = new ArrayList<>();
        Matcher row = ROW_KEY.matcher(table);
        while (row.find()) {
            keys.add(row.group(1));
        }
        return keys;
    }
}
