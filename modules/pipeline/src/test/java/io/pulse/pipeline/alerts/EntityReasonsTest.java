package io.pulse.pipeline.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.AlertReason;
import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alert reasons that are entity features name their entity; the user's own features stay as they are. */
class EntityReasonsTest {

    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");
    private static final EntityWindowSpec ITEM = EntityWindowSpec.daily("merchant").withKey("item");

    private static AlertReason reason(String feature, double value) {
        return AlertReason.newBuilder().setFeature(feature).setValue(value).setContribution(0.1).build();
    }

    private static UserEvent payment(Map<String, String> attributes, String item) {
        return UserEvent.newBuilder().setEventId("e-1").setUserId("u-1").setType(EventType.PAYMENT)
                .setEventTime(Instant.parse("2026-03-02T09:00:00Z")).setAmount(40.0).setItemId(item)
                .setAttributes(attributes).build();
    }

    @Test
    void shouldNameTheEventsEntityOnEveryEntityFeatureAndLeaveTheUsersFeaturesAlone() {
        List<AlertReason> reasons = List.of(reason("terminal_risk_7d", 0.4), reason("amount_24h", 3.1),
                reason("merchant_tx_1d", 2.0));

        List<AlertReason> named = EntityReasons.name(reasons, List.of(TERMINAL, ITEM),
                payment(Map.of("terminal", "T-17"), "shop-9"));

        assertThat(named).extracting(AlertReason::getEntity).containsExactly("terminal:T-17", null, "merchant:shop-9");
        assertThat(named).extracting(AlertReason::getFeature).containsExactly("terminal_risk_7d", "amount_24h",
                "merchant_tx_1d");
        assertThat(named.get(0).getValue()).isEqualTo(0.4);
    }

    @Test
    void shouldSayMissingWhenTheEventHasNoEntityOfTheTypeAndChangeNothingWithoutEntityTypes() {
        List<AlertReason> reasons = List.of(reason("terminal_missing", 1.0));

        assertThat(EntityReasons.name(reasons, List.of(TERMINAL), payment(Map.of(), null)))
                .extracting(AlertReason::getEntity).containsExactly("terminal:missing");
        assertThat(EntityReasons.name(reasons, List.of(), payment(Map.of(), null))).isSameAs(reasons);
    }
}
