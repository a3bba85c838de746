package io.pulse.pipeline.alerts;

import io.pulse.contracts.AlertReason;
import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the entity behind each reason that is an entity feature, so that an alert says which terminal (merchant,
 * device, ...) is risky, not only that "terminal_risk_7d" moved the score: a feature named {@code <type>_...} of a
 * configured entity type gets {@code entity = <type>:<id>}, the event's entity of that type
 * ({@link EntityWindowSpec#entityId}); {@code <type>:missing} when the event has none (the missing block moved the
 * score). The user's own features are left as they are.
 */
public final class EntityReasons {

    /** The entity of an event without one of the type. */
    public static final String MISSING = "missing";

    private EntityReasons() {
    }

    /** {@code reasons} with the entity of every entity feature named; the same list when there are no entity types. */
    public static List<AlertReason> name(List<AlertReason> reasons, List<EntityWindowSpec> entities,
            UserEvent event) {
        if (entities.isEmpty()) {
            return reasons;
        }
        List<AlertReason> named = new ArrayList<>(reasons.size());
        for (AlertReason reason : reasons) {
            EntityWindowSpec type = typeOf(reason.getFeature(), entities);
            if (type == null) {
                named.add(reason);
            } else {
                String id = type.entityId(event);
                // field by field: Avro's copying builder deep-copies through reflection its class validator refuses
                named.add(AlertReason.newBuilder().setFeature(reason.getFeature()).setValue(reason.getValue())
                        .setContribution(reason.getContribution())
                        .setEntity(type.type() + ":" + (id == null ? MISSING : id)).build());
            }
        }
        return List.copyOf(named);
    }

    private static EntityWindowSpec typeOf(String feature, List<EntityWindowSpec> entities) {
        for (EntityWindowSpec type : entities) {
            if (feature.startsWith(type.type() + "_")) {
                return type;
            }
        }
        return null;
    }
}
