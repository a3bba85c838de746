package io.pulse.pipeline.processing;

import io.pulse.contracts.UserEvent;
import io.pulse.model.BehaviourWindows;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.model.FeatureEncoder;
import io.pulse.model.FeatureSpec;
import io.pulse.pipeline.alerts.Explainer;
import java.util.List;

/**
 * The inputs of the current model's features on the per-event path, kept apart from {@link ScoreProcessor}: the
 * encoder and explainer of the model's feature spec and its raw and normalised input arrays. A spec without entity
 * windows uses the version-1 encoder, as always; a spec with them gets its entity block assembled, in the model's
 * order of types, from the blocks the topology's configured types computed for the event (a type the topology does
 * not compute reads as missing — {@link ModelWeightsProcessor} refuses such models, so that only happens in a
 * re-warm, whose kept inputs have no entity features). One per processor, allocation-free per event; not
 * thread-safe.
 */
final class ModelInputs {

    /** The entity types the topology computes, in the order of their blocks in an enriched event. */
    private final List<EntityWindowSpec> configured;
    private final FeatureEncoder v1Encoder;
    private final Explainer v1Explainer;
    private FeatureSpec entitySpec;
    private FeatureEncoder encoder;
    private Explainer explainer;
    private float[] raw;
    private float[] input;
    private float[] block;
    private int[] blockSources;

    ModelInputs(List<EntityWindowSpec> configured) {
        this.configured = List.copyOf(configured);
        FeatureSpec v1 = FeatureSpec.v1();
        this.v1Encoder = new FeatureEncoder(v1);
        this.v1Explainer = new Explainer(v1.names());
        useVersion1();
    }

    /** Encodes {@code event} for a model of {@code spec} into {@link #raw()} and, normalised, {@link #input()}. */
    void encode(FeatureSpec spec, UserEvent event, long eventTime, BehaviourWindows windows,
            float[] entityFeatures) {
        use(spec);
        if (entitySpec == null) {
            encoder.encode(event.getType(), eventTime, orNaN(event.getAmount()), orNaN(event.getRating()), windows,
                    raw);
        } else {
            encoder.encode(event.getType(), eventTime, orNaN(event.getAmount()), orNaN(event.getRating()), windows,
                    block(entityFeatures), 0, raw);
        }
        spec.normalise(raw, input);
    }

    /** The last event's features as encoded (what the re-warm ring keeps and the explainer perturbs). */
    float[] raw() {
        return raw;
    }

    /** {@link #raw()} normalised by the model's spec. */
    float[] input() {
        return input;
    }

    /** The explainer of the last encoded model's features. */
    Explainer explainer() {
        return explainer;
    }

    /**
     * Fills the entity features of {@code spec} in {@code replayed} with the missing block: the re-warm ring keeps the
     * user's own features only.
     */
    static void missingEntities(FeatureSpec spec, float[] replayed) {
        int offset = spec.entityOffset();
        for (EntityWindowSpec type : spec.entities()) {
            EntityWindows.encodeMissing(type, replayed, offset);
            offset += type.featureCount();
        }
    }

    private void use(FeatureSpec spec) {
        if (!spec.hasEntities()) {
            if (entitySpec != null) {
                useVersion1();
            }
            return;
        }
        if (spec.equals(entitySpec)) {
            return;
        }
        entitySpec = spec;
        encoder = new FeatureEncoder(spec);
        explainer = new Explainer(spec.names());
        raw = new float[spec.inputSize()];
        input = new float[spec.inputSize()];
        block = new float[spec.entityFeatureCount()];
        blockSources = new int[spec.entities().size()];
        for (int j = 0; j < blockSources.length; j++) {
            blockSources[j] = configuredOffset(spec.entities().get(j));
        }
    }

    private void useVersion1() {
        entitySpec = null;
        encoder = v1Encoder;
        explainer = v1Explainer;
        raw = new float[v1Encoder.spec().inputSize()];
        input = new float[raw.length];
    }

    /** Where {@code type}'s block starts in an enriched event's features; -1 when the topology does not compute it. */
    private int configuredOffset(EntityWindowSpec type) {
        int offset = 0;
        for (EntityWindowSpec computed : configured) {
            if (computed.equals(type)) {
                return offset;
            }
            offset += computed.featureCount();
        }
        return -1;
    }

    /** The entity model's block, in its own order of types, from the configured blocks of the event. */
    private float[] block(float[] entityFeatures) {
        int to = 0;
        for (int j = 0; j < blockSources.length; j++) {
            EntityWindowSpec type = entitySpec.entities().get(j);
            if (entityFeatures == null || blockSources[j] < 0) {
                EntityWindows.encodeMissing(type, block, to);
            } else {
                System.arraycopy(entityFeatures, blockSources[j], block, to, type.featureCount());
            }
            to += type.featureCount();
        }
        return block;
    }

    private static double orNaN(Number value) {
        return value == null ? Double.NaN : value.doubleValue();
    }
}
