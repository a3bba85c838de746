package io.pulse.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.contracts.Label;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.Contracts;
import io.pulse.registry.MockSchemaRegistry;
import io.pulse.registry.TestRecords;
import io.pulse.registry.internal.WireFormat;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeRoundTripTest {

    private static final String SCOPE = "round-trip";
    private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldRoundTripSpecificRecordWithConfiguredClass() {
        try (SpecificAvroSerde<UserEvent> serde = new SpecificAvroSerde<>(UserEvent.class)) {
            serde.configure(CONFIG, false);
            UserEvent event = TestRecords.userEvent();

            byte[] bytes = serde.serializer().serialize("user-events", event);
            UserEvent back = serde.deserializer().deserialize("user-events", bytes);

            assertThat(back).isEqualTo(event);
            assertThat(back.getEventTime()).isEqualTo(TestRecords.T0);
            assertThat(back.getAttributes()).containsEntry("device", "ios");
        }
    }

    @Test
    void shouldRoundTripNestedRecordsAndArrays() {
        try (SpecificAvroSerde<Prediction> serde = new SpecificAvroSerde<>(Prediction.class)) {
            serde.configure(CONFIG, false);

            byte[] bytes = serde.serializer().serialize("user-predictions", TestRecords.prediction());

            assertThat(serde.deserializer().deserialize("user-predictions", bytes)).isEqualTo(TestRecords.prediction());
        }
    }

    @Test
    void shouldWriteEachRecordWithItsOwnTopicsSchemaIdWhenTopicsAndTypesAlternate() {
        try (AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
                AvroDeserializer<Prediction> predictions = new AvroDeserializer<>(Prediction.class);
                AvroDeserializer<UserEvent> events = new AvroDeserializer<>(UserEvent.class)) {
            serializer.configure(CONFIG, false);
            predictions.configure(CONFIG, false);
            events.configure(CONFIG, false);
            SpecificRecord[] records = {TestRecords.prediction(), TestRecords.userEvent(), TestRecords.prediction()};
            String[] topics = {"predictions-a", "events", "predictions-b"};

            // twice round, so that every plan is met again after another one was used
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < records.length; i++) {
                    byte[] bytes = serializer.serialize(topics[i], records[i]);

                    int expectedId = MockSchemaRegistry.getClientForScope(SCOPE).getLatest(topics[i] + "-value").id();
                    assertThat(WireFormat.readSchemaId(bytes)).isEqualTo(expectedId);
                    Object back = records[i] instanceof Prediction ? predictions.deserialize(topics[i], bytes)
                            : events.deserialize(topics[i], bytes);
                    assertThat(back).isEqualTo(records[i]);
                }
            }
            assertThat(MockSchemaRegistry.getClientForScope(SCOPE).getSubjects())
                    .containsExactlyInAnyOrder("predictions-a-value", "events-value", "predictions-b-value");
        }
    }

    @Test
    void shouldWriteARecordLargerThanTheEncodersBufferWhole() {
        try (SpecificAvroSerde<UserEvent> serde = new SpecificAvroSerde<>(UserEvent.class)) {
            serde.configure(CONFIG, false);
            UserEvent large = TestRecords.userEvent();
            large.setItemId("sku-" + "x".repeat(10_000));

            byte[] bytes = serde.serializer().serialize("user-events", large);

            assertThat(bytes.length).isGreaterThan(10_000);
            assertThat(serde.deserializer().deserialize("user-events", bytes)).isEqualTo(large);
        }
    }

    @Test
    void shouldWriteTheNextRecordCleanlyAfterOneFailedHalfWritten() {
        try (SpecificAvroSerde<UserEvent> serde = new SpecificAvroSerde<>(UserEvent.class)) {
            serde.configure(CONFIG, false);
            byte[] expected = serde.serializer().serialize("user-events", TestRecords.userEvent());
            UserEvent broken = TestRecords.userEvent();
            broken.setType(null); // a non-null enum of the schema: the writer fails after the first two fields

            assertThatThrownBy(() -> serde.serializer().serialize("user-events", broken))
                    .isInstanceOf(SerializationException.class);

            // nothing of the failed record is left in this thread's encoder
            assertThat(serde.serializer().serialize("user-events", TestRecords.userEvent())).isEqualTo(expected);
        }
    }

    @Test
    void shouldFindSpecificClassByWriterSchemaNameWhenNoTypeIsConfigured() {
        Map<String, Object> config = new HashMap<>(CONFIG);
        config.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        // two record types on one topic: each needs its own subject
        config.put(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "TopicRecordNameStrategy");
        try (AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
                AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>()) {
            serializer.configure(config, false);
            deserializer.configure(config, false);

            SpecificRecord event = deserializer.deserialize("mixed",
                    serializer.serialize("mixed", TestRecords.userEvent()));
            SpecificRecord label = deserializer.deserialize("mixed", serializer.serialize("mixed", TestRecords.label()));

            assertThat(event).isEqualTo(TestRecords.userEvent());
            assertThat(label).isInstanceOf(Label.class).isEqualTo(TestRecords.label());
        }
    }

    @Test
    void shouldTakeSpecificTypeFromConfigByClassName() {
        Map<String, Object> config = new HashMap<>(CONFIG);
        config.put(AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, UserEvent.class.getName());
        try (SpecificAvroSerde<UserEvent> serde = new SpecificAvroSerde<>()) {
            serde.configure(config, false);

            byte[] bytes = serde.serializer().serialize("user-events", TestRecords.userEvent());

            assertThat(serde.deserializer().deserialize("user-events", bytes)).isEqualTo(TestRecords.userEvent());
        }
    }

    @Test
    void shouldRoundTripGenericRecord() {
        GenericRecord label = new GenericData.Record(Contracts.currentFromFile("Label"));
        label.put("userId", "u-1");
        label.put("kind", new GenericData.EnumSymbol(label.getSchema().getField("kind").schema(), "CHURN"));
        label.put("positive", false);
        label.put("eventId", null);
        label.put("appliesAt", 1_000L);
        label.put("observedAt", 2_000L);
        label.put("source", "simulator");
        try (GenericAvroSerde serde = new GenericAvroSerde()) {
            serde.configure(CONFIG, false);

            GenericRecord back = serde.deserializer().deserialize("user-labels",
                    serde.serializer().serialize("user-labels", label));

            assertThat(back).isEqualTo(label);
            assertThat(back.get("userId")).isEqualTo(new Utf8("u-1"));
            assertThat(back.get("appliesAt")).isEqualTo(1_000L);
        }
    }

    @Test
    void shouldReadSpecificRecordWrittenByAGenericProducerOfTheSameContract() {
        try (SpecificAvroSerde<UserEvent> specific = new SpecificAvroSerde<>(UserEvent.class);
                GenericAvroSerde generic = new GenericAvroSerde()) {
            specific.configure(CONFIG, false);
            generic.configure(CONFIG, false);
            GenericRecord asGeneric = generic.deserializer().deserialize("user-events",
                    specific.serializer().serialize("user-events", TestRecords.userEvent()));

            byte[] fromGenericProducer = generic.serializer().serialize("user-events", asGeneric);

            assertThat(specific.deserializer().deserialize("user-events", fromGenericProducer))
                    .isEqualTo(TestRecords.userEvent());
            assertThat(MockSchemaRegistry.getClientForScope(SCOPE).getVersions("user-events-value")).hasSize(1);
        }
    }

    @Test
    void shouldKeepNullAsNullForTombstones() {
        try (SpecificAvroSerde<UserEvent> serde = new SpecificAvroSerde<>(UserEvent.class)) {
            serde.configure(CONFIG, false);

            assertThat(serde.serializer().serialize("user-events", null)).isNull();
            assertThat(serde.deserializer().deserialize("user-events", null)).isNull();
        }
    }

    @Test
    void shouldUseKeySubjectWhenConfiguredAsKey() {
        try (SpecificAvroSerde<Label> serde = new SpecificAvroSerde<>(Label.class)) {
            serde.configure(CONFIG, true);

            byte[] bytes = serde.serializer().serialize("user-labels", TestRecords.label());

            assertThat(serde.deserializer().deserialize("user-labels", bytes)).isEqualTo(TestRecords.label());
            assertThat(MockSchemaRegistry.getClientForScope(SCOPE).getSubjects()).containsExactly("user-labels-key");
        }
    }

    @Test
    void shouldRefuseNonAvroValuesWithTheirType() {
        try (AvroSerializer<Object> serializer = new AvroSerializer<>()) {
            serializer.configure(CONFIG, false);

            assertThatThrownBy(() -> serializer.serialize("t", "plain string"))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("java.lang.String");
        }
    }

    @Test
    void shouldTellToConfigureBeforeUse() {
        try (AvroSerializer<UserEvent> serializer = new AvroSerializer<>()) {
            assertThatThrownBy(() -> serializer.serialize("t", TestRecords.userEvent()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("schema.registry.url");
        }
    }
}
