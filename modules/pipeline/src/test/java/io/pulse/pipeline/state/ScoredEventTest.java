package io.pulse.pipeline.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scored-events entry: entries written before entity ids existed still decode, and the extension round trips. */
class ScoredEventTest {

    /** An entry exactly as the format before entities wrote it. */
    private static byte[] writtenBeforeEntities(long arrivedAt, String version, float fraud, float churn) {
        byte[] v = version.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 2 + v.length + 8).putLong(arrivedAt).putShort((short) v.length).put(v)
                .putFloat(fraud).putFloat(churn).array();
    }

    @Test
    void shouldDecodeAnEntryWrittenBeforeEntitiesAsScoredWithoutEntityIds() {
        ScoredEvent decoded = ScoredEvent.decode(writtenBeforeEntities(42L, "random-7-h16", 0.25f, 0.5f));

        assertThat(decoded).isEqualTo(new ScoredEvent(42L, "random-7-h16", 0.25f, 0.5f, List.of(), true, false));
        assertThat(ScoredEvent.arrivedAt(decoded.encode())).isEqualTo(42L);
    }

    @Test
    void shouldWriteAnEntryWithoutEntitiesByteForByteAsBefore() {
        assertThat(new ScoredEvent(42L, "random-7-h16", 0.25f, 0.5f).encode())
                .isEqualTo(writtenBeforeEntities(42L, "random-7-h16", 0.25f, 0.5f));
    }

    @Test
    void shouldRoundTripTheRoutedMarkerItsScoresAndTheLabelFlag() {
        ScoredEvent marker = ScoredEvent.routed(7L, List.of("T-1", "", "ü-3"));
        ScoredEvent scored = ScoredEvent.decode(marker.encode()).withScores(7L, "v2", 0.9f, 0.1f);
        ScoredEvent labelled = ScoredEvent.decode(scored.encode()).withLabelRouted();

        assertThat(ScoredEvent.decode(marker.encode())).isEqualTo(marker);
        assertThat(marker.scored()).isFalse();
        assertThat(ScoredEvent.decode(scored.encode())).isEqualTo(scored);
        assertThat(scored.scored()).isTrue();
        assertThat(scored.labelRouted()).isFalse();
        assertThat(ScoredEvent.decode(labelled.encode())).isEqualTo(
                new ScoredEvent(7L, "v2", 0.9f, 0.1f, List.of("T-1", "", "ü-3"), true, true));
        assertThat(ScoredEvent.arrivedAt(labelled.encode())).isEqualTo(7L);
    }
}
