/**
 * Entity state beyond the user (docs/design/entities.md, section c): events and fraud labels re-keyed by entity id
 * (terminal, merchant, device, item...) through named repartition topics to a processor per entity type that owns its
 * {@code entity-<type>} store of {@link io.pulse.model.EntityWindows}, and the entity features sent back, keyed by user
 * id, to the scoring processor (the inline round trip). Entity stores hold entity ids and numbers only, never a user id.
 */
package io.pulse.pipeline.entities;
