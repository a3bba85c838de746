package io.pulse.pipeline.telemetry;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives every Kafka Streams state-store metric the same tag keys, so that Prometheus exports all of them. Kafka names
 * the store tag after the store's type ({@code rocksdb-state-id}, {@code rocksdb-window-state-id},
 * {@code in-memory-state-id}, ...; Micrometer's binder turns the dashes into dots), so one metric ({@code kafka_stream_state_record_e2e_latency_avg}) has different tag
 * keys for a key-value and a window store; the Prometheus registry refuses the second set ("Prometheus requires that
 * all meters with the same name have the same set of tag keys") and the metrics of one kind of store were silently
 * missing. Here each such tag becomes {@code store}, with the store's name as before (names are unique within the
 * topology, so the type adds nothing). The number of tags stays as it was: Micrometer's Kafka binder compares it
 * between meters of one name, and does not bind a meter whose registered namesake has more tags.
 */
public final class StoreMetricTags implements MeterFilter {

    static final String STORE = "store";
    /** The store tag's key ends so, once Micrometer has made {@code rocksdb-window-state-id} into dots. */
    private static final String SUFFIX = ".state.id";

    @Override
    public Meter.Id map(Meter.Id id) {
        List<Tag> tags = id.getTags();
        if (tags.stream().noneMatch(StoreMetricTags::isStoreTag)) {
            return id;
        }
        List<Tag> renamed = new ArrayList<>(tags.size());
        for (Tag tag : tags) {
            if (isStoreTag(tag)) {
                renamed.add(Tag.of(STORE, tag.getValue()));
            } else {
                renamed.add(tag);
            }
        }
        return id.replaceTags(renamed);
    }

    private static boolean isStoreTag(Tag tag) {
        String key = tag.getKey().replace('-', '.');
        return key.endsWith(SUFFIX) && key.length() > SUFFIX.length();
    }
}
