package io.pulse.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.Contracts;
import io.pulse.registry.TestRecords;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class JavaPropertiesTest {

    @Test
    void shouldTurnTheGeneratedSchemaBackIntoTheAvscFile() {
        assertThat(UserEvent.getClassSchema().toString()).contains("avro.java.string");

        Schema stripped = JavaProperties.strip(UserEvent.getClassSchema());

        assertThat(stripped.toString()).isEqualTo(Contracts.currentFromFile("UserEvent").toString());
        assertThat(stripped).isEqualTo(Contracts.portable(UserEvent.getClassSchema()));
    }

    @Test
    void shouldStripNestedRecordsArraysAndMaps() {
        Schema stripped = JavaProperties.strip(ModelBundle.getClassSchema());

        assertThat(stripped.toString()).doesNotContain("avro.java.string")
                .isEqualTo(Contracts.currentFromFile("ModelBundle").toString());
    }

    @Test
    void shouldLeaveDefaultValuesAloneEvenIfTheyLookLikeTheProperty() {
        Schema schema = TestRecords.schema("""
                {'type':'record','name':'R','fields':[
                  {'name':'s','type':{'type':'string','avro.java.string':'String'}},
                  {'name':'m','type':{'type':'map','values':'string'},'default':{'avro.java.string':'kept'}},
                  {'name':'u','type':{'type':'string','pulse.note':'kept','avro.java.string':'String'}}]}""");

        Schema stripped = JavaProperties.strip(schema);

        assertThat(stripped.getField("s").schema()).isEqualTo(Schema.create(Schema.Type.STRING));
        assertThat(stripped.getField("s").schema().getObjectProps()).isEmpty();
        assertThat(stripped.getField("m").defaultVal().toString()).contains("avro.java.string");
        assertThat(stripped.getField("u").schema().getProp("pulse.note")).isEqualTo("kept");
        assertThat(stripped.getField("u").schema().getProp("avro.java.string")).isNull();
    }

    @Test
    void shouldReturnTheSameSchemaWhenThereIsNothingToStrip() {
        Schema plain = Contracts.currentFromFile("Label");

        assertThat(JavaProperties.strip(plain)).isSameAs(plain);
    }
}
