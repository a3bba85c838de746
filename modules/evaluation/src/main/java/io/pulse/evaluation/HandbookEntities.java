package io.pulse.evaluation;

import io.pulse.model.EntityWindowSpec;
import io.pulse.pipeline.PulseConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The entity types the handbook evaluation can declare, defined once: the same list goes into the fold's training
 * spec ({@link FoldTrainer}) and into the scoring topology's {@link PulseConfig} ({@link #config}), so the pipeline
 * computes exactly the entity features the model was trained with (and adopts it). {@code terminal}: the
 * transaction's terminal ({@code attr.terminal}, see {@link HandbookData#MAPPING}), windows over 1, 7 and 30 days, the
 * fraud labels' 7-day delay, daily cutoffs — the handbook's delayed terminal risk.
 */
public final class HandbookEntities {

    /** The handbook's terminal: key {@code attr.terminal}, horizons 1/7/30 days, label delay 7 days, bucket 1 day. */
    public static final EntityWindowSpec TERMINAL = new EntityWindowSpec("terminal", "attr.terminal",
            List.of(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30)),
            Duration.ofDays(HandbookFold.DELAY_DAYS), Duration.ofDays(1));

    private static final Map<String, EntityWindowSpec> KNOWN = Map.of(TERMINAL.type(), TERMINAL);

    private HandbookEntities() {
    }

    /**
     * The entity types named in {@code text}: {@code none} (or blank) for none, else a comma-separated list of
     * {@code terminal}.
     *
     * @throws IllegalArgumentException for an unknown or repeated name
     */
    public static List<EntityWindowSpec> parse(String text) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.isEmpty() || trimmed.equals("none")) {
            return List.of();
        }
        List<EntityWindowSpec> entities = new ArrayList<>();
        for (String name : trimmed.split(",")) {
            EntityWindowSpec spec = KNOWN.get(name.trim());
            if (spec == null) {
                throw new IllegalArgumentException("unknown entity type '" + name.trim() + "' (known: none, "
                        + String.join(", ", KNOWN.keySet()) + ")");
            }
            if (entities.contains(spec)) {
                throw new IllegalArgumentException("entity type " + spec.type() + " is named twice");
            }
            entities.add(spec);
        }
        return List.copyOf(entities);
    }

    /** The option's text for {@code entities}: {@code none} or the type names, comma-separated. */
    public static String text(List<EntityWindowSpec> entities) {
        return entities.isEmpty() ? "none"
                : entities.stream().map(EntityWindowSpec::type).collect(Collectors.joining(","));
    }

    /** One line per report: the types with key and window shape, or {@code none}. */
    public static String describe(List<EntityWindowSpec> entities) {
        if (entities.isEmpty()) {
            return "none (per-customer features only)";
        }
        return entities.stream().map(e -> e.type() + " (key " + e.key() + ", horizons " + e.horizons().stream()
                .map(HandbookEntities::days).collect(Collectors.joining(", ")) + "; label delay " + days(
                e.labelDelay()) + ", bucket " + days(e.bucket()) + ")").collect(Collectors.joining("; "));
    }

    /**
     * The {@link PulseConfig} settings that make the topology keep {@code entities} ({@code entities.types},
     * {@code .horizons}, {@code .label.delay}, {@code .bucket}); empty for none.
     *
     * @throws IllegalArgumentException if the types differ in shape (the pipeline configures one shape for all)
     */
    public static Map<String, Object> config(List<EntityWindowSpec> entities) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (entities.isEmpty()) {
            return c;
        }
        EntityWindowSpec first = entities.get(0);
        for (EntityWindowSpec e : entities) {
            if (!e.horizons().equals(first.horizons()) || !e.labelDelay().equals(first.labelDelay())
                    || !e.bucket().equals(first.bucket())) {
                throw new IllegalArgumentException("the pipeline configures one window shape for every entity type;"
                        + " " + e.type() + " differs from " + first.type());
            }
        }
        c.put(PulseConfig.ENTITIES_TYPES, entities.stream().map(e -> e.type() + "=" + e.key())
                .collect(Collectors.joining(",")));
        c.put(PulseConfig.ENTITIES_HORIZONS, first.horizons().stream().map(Duration::toString)
                .collect(Collectors.joining(",")));
        c.put(PulseConfig.ENTITIES_LABEL_DELAY, first.labelDelay().toString());
        c.put(PulseConfig.ENTITIES_BUCKET, first.bucket().toString());
        return c;
    }

    private static String days(Duration d) {
        return d.toHours() % 24 == 0 ? d.toDays() + " d" : d.toString();
    }
}
