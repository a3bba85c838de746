package io.pulse.registry;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** Realistic records from the Pulse contracts, with every optional field set so every branch gets encoded. */
public final class TestRecords {

    public static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    private TestRecords() {
    }

    public static UserEvent userEvent() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("device", "ios");
        attributes.put("country", "FR");
        attributes.put("channel", "app");
        return UserEvent.newBuilder()
                .setEventId("e-0001")
                .setUserId("u-42")
                .setType(EventType.PURCHASE)
                .setEventTime(T0)
                .setItemId("sku-7")
                .setCategory("books")
                .setAmount(19.5)
                .setRating(4.5f)
                .setSessionId("s-1")
                .setAttributes(attributes)
                .build();
    }

    public static Prediction prediction() {
        return Prediction.newBuilder()
                .setEventId("e-0001")
                .setUserId("u-42")
                .setEventTime(T0)
                .setPredictedAt(T0.plusMillis(3))
                .setModelName("pulse-lstm")
                .setModelVersion("20260115T100000Z-3f2a")
                .setNextAction(List.of(new ActionProbability("VIEW", 0.75), new ActionProbability("PURCHASE", 0.25)))
                .setChurnProbability(0.1)
                .setChurnHorizonMillis(86_400_000L)
                .setFraudScore(0.02)
                .setEventsSeen(12)
                .build();
    }

    public static Label label() {
        return Label.newBuilder()
                .setUserId("u-42")
                .setKind(LabelKind.FRAUD)
                .setPositive(true)
                .setEventId("e-0001")
                .setAppliesAt(T0)
                .setObservedAt(T0.plusSeconds(3600))
                .setSource("chargeback")
                .build();
    }

    /** Parses a schema literal written with single quotes, for readable tests. */
    public static Schema schema(String json) {
        return new Schema.Parser().parse(json.replace('\'', '"'));
    }
}
