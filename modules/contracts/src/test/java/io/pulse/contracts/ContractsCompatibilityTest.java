package io.pulse.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.schema.Contracts;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contracts evolve under BACKWARD compatibility: a consumer using the current schema must read everything written
 * with any released schema.
 */
class ContractsCompatibilityTest {

    static Stream<Arguments> releasedSchemas() {
        return Contracts.CURRENT.keySet().stream()
                .sorted()
                .flatMap(name -> Contracts.RELEASED_VERSIONS.stream()
                        .filter(version -> Contracts.isReleased(version, name))
                        .map(version -> Arguments.of(name, version)));
    }

    @ParameterizedTest(name = "{0} is still a current contract")
    @MethodSource("releasedVersions")
    void shouldKeepEveryReleasedSchema(String version) {
        // a released record may evolve but never disappear; records added later have no released version yet
        for (String name : java.util.List.of("UserEvent", "Prediction", "Alert", "ModelBundle", "Label")) {
            assertThat(Contracts.isReleased(version, name)).as("%s released in %s", name, version).isTrue();
            assertThat(Contracts.CURRENT).containsKey(name);
        }
    }

    static Stream<String> releasedVersions() {
        return Contracts.RELEASED_VERSIONS.stream();
    }

    @Test
    void shouldTreatSchemasAddedAfterTheLastReleaseAsAdditions() {
        assertThat(Contracts.releasedHistory("ErasureRequest")).isEmpty();
        assertThat(Contracts.releasedHistory("AuditRecord")).isEmpty();
        assertThat(Contracts.releasedHistory("UserEvent")).hasSize(Contracts.RELEASED_VERSIONS.size());
        assertThat(Contracts.CURRENT).containsKeys("ErasureRequest", "AuditRecord");
    }

    @Test
    void shouldReleaseUserInterestsFromV3On() {
        // added with contract v3: absent from the earlier releases, compatibility-checked from v3 on
        assertThat(Contracts.isReleased("v1", "UserInterests")).isFalse();
        assertThat(Contracts.isReleased("v2", "UserInterests")).isFalse();
        assertThat(Contracts.isReleased("v3", "UserInterests")).isTrue();
        assertThat(Contracts.releasedHistory("UserInterests")).hasSize(Contracts.RELEASED_VERSIONS.size() - 2);
    }

    @Test
    void shouldShareThePredictionsInterestTypesWithUserInterests() {
        // one Java class per nested record: a UserInterests is built from a Prediction's lists without copying them
        Schema prediction = Prediction.getClassSchema();
        Schema interests = UserInterests.getClassSchema();
        for (String list : List.of("nextCategories", "recommendations")) {
            Schema fromPrediction = prediction.getField(list).schema().getElementType();
            Schema fromInterests = interests.getField(list).schema().getElementType();
            assertThat(fromInterests.getFullName()).isEqualTo(fromPrediction.getFullName());
            assertThat(fromInterests).as(list).isEqualTo(fromPrediction);
            assertThat(fromInterests.getDoc()).as("doc of %s", list).isEqualTo(fromPrediction.getDoc());
            for (Schema.Field field : fromPrediction.getFields()) {
                assertThat(fromInterests.getField(field.name()).doc()).isEqualTo(field.doc());
            }
        }
        UserInterests record = UserInterests.newBuilder().setUserId("u").setUpdatedAt(Instant.EPOCH)
                .setModelVersion("v").setInterestShift(0.25)
                .setNextCategories(List.of(new CategoryProbability("1>2", 0.5)))
                .setRecommendations(List.of(new ItemScore("item-1", 1.5))).build();
        assertThat(record.getNextCategories().get(0)).isInstanceOf(CategoryProbability.class);
    }

    @ParameterizedTest(name = "{0} reads data written with {1}")
    @MethodSource("releasedSchemas")
    void shouldReadEveryReleasedVersionWithTheCurrentSchema(String name, String version) {
        Schema writer = Contracts.released(version, name);
        Schema reader = Contracts.CURRENT.get(name);

        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);

        assertThat(result.getType())
                .as("%s current vs released %s: %s", name, version, result.getDescription())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void shouldDetectABackwardIncompatibleChange() {
        // Given a change that a BACKWARD rule must refuse: a new field without a default
        Schema released = Contracts.released("v1", "Label");
        Schema broken = new Schema.Parser().parse(Contracts.CURRENT.get("Label").toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"mandatoryNew\",\"type\":\"string\"},"));

        // Then the same check that guards the contracts reports it
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void shouldGenerateClassesFromTheSchemaFiles() {
        for (String name : Contracts.CURRENT.keySet()) {
            assertThat(Contracts.portable(Contracts.CURRENT.get(name)))
                    .as("generated class for %s matches schemas/%s.avsc", name, name)
                    .isEqualTo(Contracts.currentFromFile(name));
        }
    }

    @Test
    void shouldStripOnlyJavaPropertiesFromThePortableSchema() {
        Schema generated = UserEvent.getClassSchema();

        Schema portable = Contracts.portable(generated);

        assertThat(generated.toString()).contains("avro.java.string");
        assertThat(portable.toString()).doesNotContain("avro.java.string");
        assertThat(SchemaNormalization.parsingFingerprint64(portable))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(generated));
    }

    @Test
    void shouldGiveEveryEnumADefaultSoItCanGrow() {
        Contracts.CURRENT.values().forEach(ContractsCompatibilityTest::assertEnumsHaveDefaults);
    }

    @Test
    void shouldDocumentEveryField() {
        Contracts.CURRENT.values().forEach(ContractsCompatibilityTest::assertFieldsDocumented);
    }

    private static void assertEnumsHaveDefaults(Schema schema) {
        switch (schema.getType()) {
            case ENUM -> assertThat(schema.getEnumDefault()).as("default of enum %s", schema.getFullName()).isNotNull();
            case RECORD -> schema.getFields().forEach(f -> assertEnumsHaveDefaults(f.schema()));
            case ARRAY -> assertEnumsHaveDefaults(schema.getElementType());
            case MAP -> assertEnumsHaveDefaults(schema.getValueType());
            case UNION -> schema.getTypes().forEach(ContractsCompatibilityTest::assertEnumsHaveDefaults);
            default -> { }
        }
    }

    private static void assertFieldsDocumented(Schema schema) {
        switch (schema.getType()) {
            case RECORD -> schema.getFields().forEach(f -> {
                assertThat(f.doc()).as("doc of %s.%s", schema.getFullName(), f.name()).isNotBlank();
                assertFieldsDocumented(f.schema());
            });
            case ARRAY -> assertFieldsDocumented(schema.getElementType());
            case MAP -> assertFieldsDocumented(schema.getValueType());
            case UNION -> schema.getTypes().forEach(ContractsCompatibilityTest::assertFieldsDocumented);
            default -> { }
        }
    }
}
