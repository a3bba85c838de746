package io.pulse.cli;

import io.pulse.model.EntityWindowSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an entity declaration as {@code pulse train --entity} takes it:
 * {@code TYPE[=KEY][:horizons=D,D,...][:delay=D][:bucket=D]}, e.g. {@code terminal=attr.terminal:horizons=1d,7d,30d}.
 * The key is {@code item} or {@code attr.NAME} (default {@code attr.TYPE}); durations as {@link Durations} reads them
 * ({@code 1d}, {@code 36h}, ISO); left out, the pipeline's defaults apply (horizons 1d,7d,30d, delay 7d, bucket 1d —
 * {@code entities.horizons}, {@code entities.label.delay}, {@code entities.bucket}). Rules on names and shapes are
 * {@link EntityWindowSpec}'s; picocli prefixes every message with the option it belongs to.
 */
final class EntityOption implements ITypeConverter<EntityWindowSpec> {

    static final String FORMAT = "TYPE[=KEY][:horizons=D,D,...][:delay=D][:bucket=D]";

    @Override
    public EntityWindowSpec convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    static EntityWindowSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an entity declaration is empty; expected " + FORMAT);
        }
        String[] parts = text.trim().split(":", -1);
        EntityWindowSpec defaults = EntityWindowSpec.daily("entity");
        String head = parts[0];
        int equals = head.indexOf('=');
        String type = equals < 0 ? head : head.substring(0, equals);
        String key = equals < 0 ? EntityWindowSpec.ATTRIBUTE_PREFIX + type : head.substring(equals + 1);
        List<Duration> horizons = defaults.horizons();
        Duration delay = defaults.labelDelay();
        Duration bucket = defaults.bucket();
        Set<String> given = new HashSet<>();
        for (int i = 1; i < parts.length; i++) {
            int at = parts[i].indexOf('=');
            String name = at < 0 ? parts[i] : parts[i].substring(0, at);
            if (at < 0 || at == parts[i].length() - 1) {
                throw new IllegalArgumentException("\"" + text + "\": setting \"" + parts[i]
                        + "\" has no value; expected " + FORMAT);
            }
            if (!given.add(name)) {
                throw new IllegalArgumentException("\"" + text + "\": " + name + " is given twice");
            }
            String setting = parts[i].substring(at + 1);
            switch (name) {
                case "horizons" -> horizons = durations(text, name, setting);
                case "delay" -> delay = duration(text, name, setting);
                case "bucket" -> bucket = duration(text, name, setting);
                default -> throw new IllegalArgumentException("\"" + text + "\": unknown setting \"" + name
                        + "\"; the settings are horizons, delay and bucket (" + FORMAT + ")");
            }
        }
        try {
            return new EntityWindowSpec(type, key, horizons, delay, bucket);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\": " + e.getMessage(), e);
        }
    }

    private static List<Duration> durations(String text, String name, String setting) {
        List<Duration> values = new ArrayList<>();
        for (String item : setting.split(",", -1)) {
            values.add(duration(text, name, item));
        }
        return values;
    }

    private static Duration duration(String text, String name, String setting) {
        try {
            return Durations.parse(setting.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\": " + name + ": " + e.getMessage(), e);
        }
    }
}
