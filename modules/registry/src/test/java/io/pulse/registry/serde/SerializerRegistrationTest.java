package io.pulse.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.Contracts;
import io.pulse.registry.MockSchemaRegistry;
import io.pulse.registry.MockSchemaRegistryClient;
import io.pulse.registry.TestRecords;
import io.pulse.registry.internal.WireFormat;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What gets registered, under which subject, and what happens when registering is not allowed. */
class SerializerRegistrationTest {

    private static final String SCOPE = "registration";

    private static final Schema V1 = TestRecords.schema("""
            {'type':'record','name':'Account','namespace':'io.pulse.test','fields':[
              {'name':'id','type':'string'}]}""");
    private static final Schema V2_OPTIONAL_FIELD = TestRecords.schema("""
            {'type':'record','name':'Account','namespace':'io.pulse.test','fields':[
              {'name':'id','type':'string'},
              {'name':'tier','type':['null','string'],'default':null}]}""");
    private static final Schema V1_WITH_DOC = TestRecords.schema("""
            {'type':'record','name':'Account','namespace':'io.pulse.test','doc':'An account.','fields':[
              {'name':'id','type':'string','doc':'Its id.'}]}""");

    private final MockSchemaRegistryClient registry = MockSchemaRegistry.getClientForScope(SCOPE);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldRegisterThePortableSchemaWithoutJavaProperties() {
        try (AvroSerializer<UserEvent> serializer = serializer(Map.of())) {
            serializer.serialize("user-events", TestRecords.userEvent());

            Schema registered = registry.getLatest("user-events-value").schema();
            assertThat(registered.toString()).doesNotContain("avro.java.string");
            assertThat(registered).isEqualTo(Contracts.currentFromFile("UserEvent"));
        }
    }

    @Test
    void shouldShareTheSchemaIdWithAProducerThatRegisteredThePlainAvscFile() {
        int idFromOtherLanguage = registry.register("user-events-value", Contracts.currentFromFile("UserEvent"));
        try (AvroSerializer<UserEvent> serializer = serializer(Map.of())) {

            byte[] bytes = serializer.serialize("user-events", TestRecords.userEvent());

            assertThat(WireFormat.readSchemaId(bytes)).isEqualTo(idFromOtherLanguage);
            assertThat(registry.getVersions("user-events-value")).containsExactly(1);
        }
    }

    @Test
    void shouldKeepJavaPropertiesWhenAskedTo() {
        try (AvroSerializer<UserEvent> serializer = serializer(Map.of(AvroSerdeConfig.AVRO_REMOVE_JAVA_PROPS, false))) {
            serializer.serialize("user-events", TestRecords.userEvent());

            assertThat(registry.getLatest("user-events-value").schema().toString()).contains("avro.java.string");
        }
    }

    @Test
    void shouldUseTheRegisteredIdWithoutRegisteringWhenAutoRegisterIsOff() {
        int id = registry.register("accounts-value", V1);
        try (AvroSerializer<GenericRecord> serializer = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false))) {

            byte[] bytes = serializer.serialize("accounts", account(V1));

            assertThat(WireFormat.readSchemaId(bytes)).isEqualTo(id);
            assertThat(registry.getVersions("accounts-value")).containsExactly(1);
        }
    }

    @Test
    void shouldSayHowToFixAnUnregisteredSchemaWhenAutoRegisterIsOff() {
        try (AvroSerializer<GenericRecord> serializer = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false))) {

            assertThatThrownBy(() -> serializer.serialize("accounts", account(V1)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("accounts-value")
                    .hasMessageContaining("auto.register.schemas=false")
                    .hasMessageContaining("use.latest.version");
            assertThat(registry.getSubjects()).isEmpty();
        }
    }

    @Test
    void shouldWriteWithTheLatestVersionConvertingTheRecord() {
        registry.register("accounts-value", V1);
        int latestId = registry.register("accounts-value", V2_OPTIONAL_FIELD);
        try (AvroSerializer<GenericRecord> serializer = serializer(latestConfig(true));
                AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(registry, null)) {
            deserializer.configure(Map.of(), false);

            byte[] bytes = serializer.serialize("accounts", account(V1));
            GenericRecord back = deserializer.deserialize("accounts", bytes);

            assertThat(WireFormat.readSchemaId(bytes)).isEqualTo(latestId);
            assertThat(back.getSchema()).isEqualTo(V2_OPTIONAL_FIELD);
            assertThat(back.get("id")).hasToString("a-1");
            assertThat(back.get("tier")).isNull();
        }
    }

    @Test
    void shouldWriteUnchangedBytesWhenTheLatestVersionDiffersOnlyInDocs() {
        int latestId = registry.register("accounts-value", V1_WITH_DOC);
        try (AvroSerializer<GenericRecord> viaLatest = serializer(latestConfig(true));
                AvroSerializer<GenericRecord> plain = new AvroSerializer<>(registry)) {
            plain.configure(Map.of(), false);

            byte[] bytes = viaLatest.serialize("accounts", account(V1));
            byte[] reference = plain.serialize("accounts-other", account(V1));

            assertThat(WireFormat.readSchemaId(bytes)).isEqualTo(latestId);
            assertThat(payload(bytes)).isEqualTo(payload(reference));
        }
    }

    @Test
    void shouldRefuseALatestVersionThatCannotReadTheRecordWhenStrict() {
        Schema requiredExtraField = TestRecords.schema("""
                {'type':'record','name':'Account','namespace':'io.pulse.test','fields':[
                  {'name':'id','type':'string'},{'name':'owner','type':'string'}]}""");
        registry.setCompatibility("accounts-value", "NONE");
        registry.register("accounts-value", requiredExtraField);
        try (AvroSerializer<GenericRecord> serializer = serializer(latestConfig(true))) {

            assertThatThrownBy(() -> serializer.serialize("accounts", account(V1)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("latest.compatibility.strict");
        }
    }

    @Test
    void shouldRegisterEachRecordTypeUnderItsOwnSubjectWithTopicRecordNameStrategy() {
        Map<String, Object> config = Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy");
        try (AvroSerializer<Object> serializer = serializer(config)) {
            serializer.serialize("mixed", TestRecords.userEvent());
            serializer.serialize("mixed", TestRecords.label());

            assertThat(registry.getSubjects())
                    .containsExactly("mixed-io.pulse.contracts.Label", "mixed-io.pulse.contracts.UserEvent");
        }
    }

    @Test
    void shouldRegisterUnderRecordNameWithRecordNameStrategy() {
        try (AvroSerializer<Object> serializer = serializer(
                Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "RecordNameStrategy"))) {
            serializer.serialize("user-events", TestRecords.userEvent());
            serializer.serialize("user-events-replay", TestRecords.userEvent());

            assertThat(registry.getSubjects()).containsExactly("io.pulse.contracts.UserEvent");
        }
    }

    private <T> AvroSerializer<T> serializer(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.put("schema.registry.url", "mock://" + SCOPE);
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }

    private static Map<String, Object> latestConfig(boolean strict) {
        return Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false, AvroSerdeConfig.USE_LATEST_VERSION, true,
                AvroSerdeConfig.LATEST_COMPATIBILITY_STRICT, strict);
    }

    private static GenericRecord account(Schema schema) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", "a-1");
        return record;
    }

    private static byte[] payload(byte[] message) {
        return java.util.Arrays.copyOfRange(message, WireFormat.HEADER_SIZE, message.length);
    }
}
