package io.pulse.pipeline.processing;

import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.validate.Rejection;
import java.util.List;

/**
 * A record on its way through the topology after the sources: a validated event or a refused record (both from the
 * validation step), or a label (from the labels topic, merged into the scoring input). Accepted events and labels go
 * to the scoring processor; refused records go to the dead-letter topic.
 */
public sealed interface InputRecord {

    /**
     * An event that passed validation.
     *
     * @param event    the decoded, valid event
     * @param rawValue its bytes as they arrived (registry wire format), which the entity round trip carries; null
     *                 where the event was not read from the events topic
     */
    record Accepted(UserEvent event, byte[] rawValue) implements InputRecord {

        /** An accepted event without its original bytes. */
        public Accepted(UserEvent event) {
            this(event, null);
        }
    }

    /**
     * An accepted event with its entity features (the configured entity types' blocks, in configuration order, each
     * as of the event's time and before it): back from the entity round trip, or read from the broadcast snapshots.
     *
     * @param eventBytes     the event's bytes as they arrived on the events topic (validated there; decoded again by
     *                       the scoring processor, with the registry's deserializer)
     * @param entityFeatures the feature block of every configured entity type
     * @param entityIds      with broadcast delivery, the event's entity id per configured type ("" where it has none),
     *                       for the scoring processor to record with the scores: the routing step, in the same step,
     *                       wrote no marker. Null on the round trip, where the routing step's marker holds them
     */
    record Enriched(byte[] eventBytes, float[] entityFeatures, List<String> entityIds) implements InputRecord {

        /** An event back from the entity round trip (its entity ids are in the routing step's marker). */
        public Enriched(byte[] eventBytes, float[] entityFeatures) {
            this(eventBytes, entityFeatures, null);
        }
    }

    /**
     * A refused input record, kept as it arrived for the dead-letter topic.
     *
     * @param rawKey    the original key bytes (null if it had none)
     * @param rawValue  the original value bytes (null for a tombstone)
     * @param rejection why it was refused
     */
    record Rejected(byte[] rawKey, byte[] rawValue, Rejection rejection) implements InputRecord {
    }

    /**
     * A label as it arrived on the labels topic, not yet decoded: the label join decodes and checks it.
     *
     * @param avroBytes the label's Avro bytes
     */
    record Label(byte[] avroBytes) implements InputRecord {
    }
}
