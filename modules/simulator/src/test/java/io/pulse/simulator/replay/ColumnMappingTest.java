package io.pulse.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.contracts.EventType;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnMappingTest {

    private static final String FRAUD = "user=CUSTOMER_ID,time=TX_DATETIME:yyyy-MM-dd HH:mm:ss,type=const:PAYMENT,"
            + "item=TERMINAL_ID,amount=TX_AMOUNT,label=TX_FRAUD";

    @Test
    void shouldParseTheFraudDataSetMapping() {
        ColumnMapping mapping = ColumnMapping.parse(FRAUD);

        assertThat(mapping.userColumn()).isEqualTo("CUSTOMER_ID");
        assertThat(mapping.timeColumn()).isEqualTo("TX_DATETIME");
        assertThat(mapping.timeFormat().spec()).isEqualTo("yyyy-MM-dd HH:mm:ss");
        assertThat(mapping.constantType()).isEqualTo(EventType.PAYMENT);
        assertThat(mapping.typeColumn()).isNull();
        assertThat(mapping.itemColumn()).isEqualTo("TERMINAL_ID");
        assertThat(mapping.amountColumn()).isEqualTo("TX_AMOUNT");
        assertThat(mapping.labelColumn()).isEqualTo("TX_FRAUD");
        assertThat(mapping.delimiter()).isEqualTo(',');
        assertThat(mapping.timeFormat().parse("2018-04-01 00:00:31")).isEqualTo(Instant.parse("2018-04-01T00:00:31Z"));
    }

    @Test
    void shouldReadEpochSecondsMillisIsoAndZonedPatterns() {
        assertThat(TimeFormat.of("epoch-s", ZoneId.of("UTC")).parse("964982703"))
                .isEqualTo(Instant.parse("2000-07-30T18:45:03Z"));
        assertThat(TimeFormat.of("epoch-s", ZoneId.of("UTC")).parse("1.5")).isEqualTo(Instant.ofEpochMilli(1500));
        assertThat(TimeFormat.of("epoch-ms", ZoneId.of("UTC")).parse("1500")).isEqualTo(Instant.ofEpochMilli(1500));
        assertThat(TimeFormat.of("iso", ZoneId.of("UTC")).parse("2020-01-01T10:00:00+02:00"))
                .isEqualTo(Instant.parse("2020-01-01T08:00:00Z"));
        assertThat(TimeFormat.of("auto", ZoneId.of("UTC")).parse("964982703"))
                .isEqualTo(Instant.parse("2000-07-30T18:45:03Z"));
        assertThat(TimeFormat.of("auto", ZoneId.of("UTC")).parse("964982703000"))
                .isEqualTo(Instant.parse("2000-07-30T18:45:03Z"));
        ColumnMapping paris = ColumnMapping.parse("user=u,time=t:dd/MM/yyyy HH:mm,zone=Europe/Paris");
        assertThat(paris.timeFormat().parse("01/07/2020 12:00")).isEqualTo(Instant.parse("2020-07-01T10:00:00Z"));
        assertThat(TimeFormat.of("yyyy-MM-dd", ZoneId.of("UTC")).parse("2020-01-02"))
                .isEqualTo(Instant.parse("2020-01-02T00:00:00Z"));
    }

    @Test
    void shouldParseTheCommonPatternFastAndStrictly() {
        TimeFormat fast = TimeFormat.of("yyyy-MM-dd HH:mm:ss", ZoneId.of("Europe/Paris"));

        assertThat(fast.parse("2018-07-01 12:34:56")).isEqualTo(Instant.parse("2018-07-01T10:34:56Z"));
        assertThatThrownBy(() -> fast.parse("2018-02-30 00:00:00")).hasMessageContaining("'2018-02-30 00:00:00'");
        assertThatThrownBy(() -> fast.parse("2018-0a-01 00:00:00")).hasMessageContaining("does not match format");
    }

    @Test
    void shouldKeepACommaInsideATimePatternAndReadAttributesAndTypeColumns() {
        ColumnMapping mapping = ColumnMapping.parse("user=u,time=t:EEE, dd MMM yyyy HH:mm:ss,type=action,"
                + "attr.terminal=TERMINAL_ID,delimiter=semicolon");

        assertThat(mapping.timeFormat().spec()).isEqualTo("EEE, dd MMM yyyy HH:mm:ss");
        assertThat(mapping.typeColumn()).isEqualTo("action");
        assertThat(mapping.attributeColumns()).containsEntry("terminal", "TERMINAL_ID");
        assertThat(mapping.delimiter()).isEqualTo(';');
        assertThat(ColumnMapping.typeOf("purchase")).isEqualTo(EventType.PURCHASE);
        assertThat(ColumnMapping.typeOf("teleport")).isEqualTo(EventType.UNKNOWN);
    }

    @Test
    void shouldNameTheBadPartOfAMapping() {
        assertThatThrownBy(() -> ColumnMapping.parse("user=a,time=b,colour=red"))
                .hasMessageContaining("'colour=red'").hasMessageContaining("unknown key 'colour'");
        assertThatThrownBy(() -> ColumnMapping.parse("time=b"))
                .hasMessageContaining("lacks 'user=COLUMN'");
        assertThatThrownBy(() -> ColumnMapping.parse("user=a,time=b,type=const:TELEPORT"))
                .hasMessageContaining("'type=const:TELEPORT'").hasMessageContaining("unknown event type");
        assertThatThrownBy(() -> ColumnMapping.parse("user=a,time=b:yyyy-qq-zz-XXXXXX-{"))
                .hasMessageContaining("invalid time format 'yyyy-qq-zz-XXXXXX-{'");
        assertThatThrownBy(() -> ColumnMapping.parse("user=a,user=b,time=c"))
                .hasMessageContaining("'user=b'").hasMessageContaining("given twice");
        assertThatThrownBy(() -> ColumnMapping.parse("user=a,time=b,zone=Mars/Olympus"))
                .hasMessageContaining("zone=Mars/Olympus");
        assertThatThrownBy(() -> ColumnMapping.parse("user=,time=b"))
                .hasMessageContaining("'user=' has no value");
        assertThatThrownBy(() -> ColumnMapping.parse(" "))
                .hasMessageContaining("empty column mapping");
    }

    @Test
    void shouldListTheHeaderWhenAMappedColumnIsMissing() {
        ColumnMapping mapping = ColumnMapping.parse(FRAUD.replace("TERMINAL_ID", "TERMINAL"));

        assertThatThrownBy(() -> mapping.bind(List.of("", "TRANSACTION_ID", "TX_DATETIME", "CUSTOMER_ID",
                "TERMINAL_ID", "TX_AMOUNT", "TX_FRAUD"), "day.csv"))
                .hasMessageContaining("day.csv")
                .hasMessageContaining("column 'TERMINAL' (for item)")
                .hasMessageContaining("[, TRANSACTION_ID, TX_DATETIME, CUSTOMER_ID, TERMINAL_ID, TX_AMOUNT, TX_FRAUD]");
    }
}
