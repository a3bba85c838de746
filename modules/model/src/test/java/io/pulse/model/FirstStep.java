package io.pulse.model;

import io.pulse.contracts.UserEvent;

/**
 * A user's first step scored by hand, as the pipeline scores it: the event encoded against empty behaviour windows
 * and the given entity block, normalised by the model's spec, one LSTM step from a zero state. For tests that check
 * what a pipeline published for a new user's first event.
 */
public final class FirstStep {

    private FirstStep() {
    }

    /**
     * The fraud score (linear head or fraud trees) of {@code model}'s first step for {@code event} with entity
     * features {@code entityBlock}.
     */
    public static float fraud(LstmModel model, UserEvent event, float[] entityBlock) {
        FeatureSpec spec = model.featureSpec();
        float[] raw = new float[spec.inputSize()];
        float[] input = new float[spec.inputSize()];
        new FeatureEncoder(spec).encode(event.getType(), event.getEventTime().toEpochMilli(),
                event.getAmount() == null ? Double.NaN : event.getAmount(), Double.NaN, BehaviourWindows.empty(),
                entityBlock, 0, raw);
        spec.normalise(raw, input);
        float[] h = new float[model.hiddenSize()];
        float[] c = new float[model.hiddenSize()];
        model.step(input, h, c);
        Scores scores = Scores.forModel(model);
        model.heads(input, h, scores);
        return scores.fraud;
    }
}
