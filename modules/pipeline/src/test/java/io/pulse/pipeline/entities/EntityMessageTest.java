package io.pulse.pipeline.entities;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * The repartition topics' values: events (with their feature block, or in their counting form for broadcast delivery)
 * and fraud labels round trip.
 */
class EntityMessageTest {

    private final Serde<EntityMessage> serde = EntityMessage.serde();

    private EntityMessage roundTrip(EntityMessage message) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", message));
    }

    @Test
    void shouldRoundTripAnEventWithItsEntityIdsAndFeatures() {
        byte[] eventBytes = {0, 0, 0, 0, 7, 42, -1};
        float[] features = {0f, 1.5f, Float.NaN, -2f};

        EntityMessage back = roundTrip(EntityMessage.event("u-1", new String[] {"T-1", null}, 1234L, 12.5,
                eventBytes, features));

        assertThat(back.isEvent()).isTrue();
        assertThat(back.userId()).isEqualTo("u-1");
        assertThat(back.entityId(0)).isEqualTo("T-1");
        assertThat(back.entityId(1)).isNull();
        assertThat(back.keyFor(1)).isEqualTo("u-1"); // no entity: keyed by the user, never one hot "missing" key
        assertThat(back.eventMillis()).isEqualTo(1234L);
        assertThat(back.amount()).isEqualTo(12.5);
        assertThat(back.eventBytes()).containsExactly(eventBytes);
        assertThat(back.features()).containsExactly(features);
        assertThat(roundTrip(EntityMessage.event("u-1", new String[] {null}, 1L, Double.NaN, eventBytes,
                features)).amount()).isNaN();
    }

    @Test
    void shouldCarryAnEventsRoutingTimeAndReadTheFormerFormatWithoutIt() {
        byte[] eventBytes = {0, 0, 0, 0, 7, 42, -1};
        float[] features = {0.5f, 3f};
        EntityMessage routed = EntityMessage.event("u-1", new String[] {"T-1"}, 1234L, 12.5, eventBytes, features,
                1_700_000_000_123L);
        byte[] bytes = serde.serializer().serialize("t", routed);

        assertThat(roundTrip(routed).routedAtMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(roundTrip(EntityMessage.fraudLabel("u-2", new String[] {"T-9"}, 1L)).routedAtMillis())
                .isEqualTo(EntityMessage.UNKNOWN);
        // format 1, as records in flight across an upgrade were written: no routing time after the features
        byte[] former = Arrays.copyOf(bytes, bytes.length - Long.BYTES);
        former[0] = 1;
        EntityMessage back = serde.deserializer().deserialize("t", former);
        assertThat(back.routedAtMillis()).isEqualTo(EntityMessage.UNKNOWN);
        assertThat(back.features()).containsExactly(features);
        assertThat(back.eventBytes()).containsExactly(eventBytes);
        assertThat(back.amount()).isEqualTo(12.5);
    }

    @Test
    void shouldWriteEventsInTheirCountingFormForBroadcastAndLabelsAsTheyAre() {
        Serde<EntityMessage> counting = EntityMessage.countingSerde();
        EntityMessage event = EntityMessage.event("u-1", new String[] {"T-1", null}, 1234L, 12.5,
                new byte[] {0, 0, 0, 0, 7, 42, -1}, new float[] {0.5f, 3f}, 1_700_000_000_123L);
        byte[] full = serde.serializer().serialize("t", event);
        byte[] bytes = counting.serializer().serialize("t", event);

        EntityMessage back = counting.deserializer().deserialize("t", bytes);
        assertThat(back.isEvent()).isTrue();
        assertThat(back.isCounting()).isTrue();
        assertThat(back.userId()).isEqualTo("u-1");
        assertThat(back.entityId(0)).isEqualTo("T-1");
        assertThat(back.entityId(1)).isNull();
        assertThat(back.eventMillis()).isEqualTo(1234L);
        assertThat(back.amount()).isEqualTo(12.5);
        assertThat(back.eventBytes()).isNull();
        assertThat(back.features()).isNull();
        assertThat(back.routedAtMillis()).isEqualTo(EntityMessage.UNKNOWN);
        // the same numbers, without the event's bytes, the block and the routing time: 7 + 4 * 2 + 8 bytes fewer
        assertThat(bytes.length).isEqualTo(full.length - (4 + 7) - (4 + 2 * Float.BYTES) - Long.BYTES);
        assertThat(event.isCounting()).as("the message itself keeps what scoring needs").isFalse();
        // either serde reads either form; a label is written as it is
        assertThat(serde.deserializer().deserialize("t", bytes).isCounting()).isTrue();
        EntityMessage label = EntityMessage.fraudLabel("u-2", new String[] {"T-9"}, 77L);
        assertThat(counting.serializer().serialize("t", label)).containsExactly(serde.serializer().serialize("t",
                label));
        assertThat(counting.deserializer().deserialize("t", counting.serializer().serialize("t", label)).isEvent())
                .isFalse();
    }

    @Test
    void shouldRoundTripAFraudLabel() {
        EntityMessage back = roundTrip(EntityMessage.fraudLabel("u-2", new String[] {"T-9"}, 1234L));

        assertThat(back.isEvent()).isFalse();
        assertThat(back.entityId(0)).isEqualTo("T-9");
        assertThat(back.transactionMillis()).isEqualTo(1234L);
        assertThat(back.eventBytes()).isNull();
    }
}
