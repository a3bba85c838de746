package io.pulse.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryClientTest {

    private static final Schema V1 = TestRecords.schema("""
            {'type':'record','name':'Account','namespace':'io.pulse.test','fields':[{'name':'id','type':'string'}]}""");
    private static final Schema V2_WITH_DEFAULT = TestRecords.schema("""
            {'type':'record','name':'Account','namespace':'io.pulse.test','fields':[{'name':'id','type':'string'},
              {'name':'tier','type':'string','default':'basic'}]}""");
    private static final Schema V2_WITHOUT_DEFAULT = TestRecords.schema("""
            {'type':'record','name':'Account','namespace':'io.pulse.test','fields':[{'name':'id','type':'string'},
              {'name':'tier','type':'string'}]}""");

    private final MockSchemaRegistryClient registry = MockSchemaRegistry.getClientForScope("mock-a");

    @AfterEach
    void dropScopes() {
        MockSchemaRegistry.dropScope("mock-a");
        MockSchemaRegistry.dropScope("mock-b");
    }

    @Test
    void shouldAssignIdsFromOneAndKeepThemStable() {
        int first = registry.register("accounts-value", V1);
        int again = registry.register("accounts-value", V1);
        int second = registry.register("accounts-value", V2_WITH_DEFAULT);

        assertThat(first).isEqualTo(1);
        assertThat(again).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(registry.getId("accounts-value", V1)).isEqualTo(1);
        assertThat(registry.getSchemaById(2)).isEqualTo(V2_WITH_DEFAULT);
    }

    @Test
    void shouldReuseTheIdOfAnIdenticalSchemaUnderAnotherSubject() {
        int id = registry.register("accounts-value", V1);

        assertThat(registry.register("accounts-archive-value", V1)).isEqualTo(id);
        assertThat(registry.getSubjects()).containsExactly("accounts-archive-value", "accounts-value");
    }

    @Test
    void shouldIsolateScopes() {
        registry.register("accounts-value", V1);
        MockSchemaRegistryClient other = MockSchemaRegistry.getClientForScope("mock-b");

        assertThat(other.getSubjects()).isEmpty();
        assertThat(other.register("other-value", V2_WITH_DEFAULT)).isEqualTo(1);
        assertThat(registry.getSchemaById(1)).isEqualTo(V1);
    }

    @Test
    void shouldShareAScopeBetweenClientsFromConfig() {
        registry.register("accounts-value", V1);

        SchemaRegistryClient fromConfig = SchemaRegistryClients.fromConfig(Map.of("schema.registry.url", "mock://mock-a"));

        assertThat(fromConfig.getId("accounts-value", V1)).isEqualTo(1);
    }

    @Test
    void shouldStartAgainAfterDroppingAScope() {
        registry.register("accounts-value", V1);
        MockSchemaRegistry.dropScope("mock-a");

        MockSchemaRegistryClient fresh = MockSchemaRegistry.getClientForScope("mock-a");

        assertThat(fresh.getSubjects()).isEmpty();
        assertThat(fresh.register("x-value", V2_WITH_DEFAULT)).isEqualTo(1);
    }

    @Test
    void shouldListVersionsAndServeLatestAndNumberedVersions() {
        registry.register("accounts-value", V1);
        registry.register("accounts-value", V2_WITH_DEFAULT);

        assertThat(registry.getVersions("accounts-value")).containsExactly(1, 2);
        assertThat(registry.getLatest("accounts-value")).isEqualTo(new RegisteredSchema("accounts-value", 2, 2,
                V2_WITH_DEFAULT));
        assertThat(registry.getVersion("accounts-value", 1).schema()).isEqualTo(V1);
    }

    @Test
    void shouldEnforceBackwardCompatibilityByDefault() {
        registry.register("accounts-value", V1);

        IncompatibleSchemaException e = catchThrowableOfType(IncompatibleSchemaException.class,
                () -> registry.register("accounts-value", V2_WITHOUT_DEFAULT));

        assertThat(registry.getCompatibility()).isEqualTo("BACKWARD");
        assertThat(e.status()).isEqualTo(409);
        assertThat(registry.testCompatibility("accounts-value", V2_WITHOUT_DEFAULT)).isFalse();
        assertThat(registry.testCompatibility("accounts-value", V2_WITH_DEFAULT)).isTrue();
        assertThat(registry.getVersions("accounts-value")).containsExactly(1);
    }

    @Test
    void shouldAllowAnyChangeUnderNoneForThatSubjectOnly() {
        registry.register("accounts-value", V1);
        registry.register("strict-value", V1);
        registry.setCompatibility("accounts-value", "none");

        assertThat(registry.register("accounts-value", V2_WITHOUT_DEFAULT)).isEqualTo(2);
        assertThat(registry.getCompatibility("accounts-value")).isEqualTo("NONE");
        assertThat(registry.getCompatibility("strict-value")).isEqualTo("BACKWARD");
        assertThat(registry.testCompatibility("strict-value", V2_WITHOUT_DEFAULT)).isFalse();
    }

    @Test
    void shouldCheckForwardCompatibilityWhenConfigured() {
        registry.setCompatibility("FORWARD");
        registry.register("accounts-value", V2_WITHOUT_DEFAULT);

        // old readers (with the required tier) cannot read data lacking tier
        assertThat(registry.testCompatibility("accounts-value", V1)).isFalse();
    }

    @Test
    void shouldTreatANewSubjectAsCompatible() {
        assertThat(registry.testCompatibility("new-value", V1)).isTrue();
    }

    @Test
    void shouldAnswerWithTheRegistryErrorCodes() {
        registry.register("accounts-value", V1);

        assertThat(catchThrowableOfType(SchemaNotFoundException.class, () -> registry.getVersions("nope"))
                .isSubjectNotFound()).isTrue();
        assertThat(catchThrowableOfType(SchemaNotFoundException.class, () -> registry.getVersion("accounts-value", 9))
                .isVersionNotFound()).isTrue();
        assertThat(catchThrowableOfType(SchemaNotFoundException.class, () -> registry.getSchemaById(77))
                .errorCode()).isEqualTo(40403);
        assertThat(catchThrowableOfType(SchemaNotFoundException.class,
                () -> registry.getId("accounts-value", V2_WITH_DEFAULT)).isSchemaNotFound()).isTrue();
        assertThat(catchThrowableOfType(SchemaRegistryHttpException.class, () -> registry.setCompatibility("SOMETIMES"))
                .errorCode()).isEqualTo(42203);
    }
}
