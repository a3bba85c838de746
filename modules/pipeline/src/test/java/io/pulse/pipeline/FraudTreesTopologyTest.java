package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.model.BehaviourWindows;
import io.pulse.model.FeatureEncoder;
import io.pulse.model.FeatureSpec;
import io.pulse.model.FirstStep;
import io.pulse.model.FraudTrees;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle whose fraud head is a tree ensemble ({@link ModelBundles#withFraudTrees}): the topology adopts it and
 * every published fraud score is the trees' score of the step's input and the LSTM state after it.
 */
class FraudTreesTopologyTest {

    private static final double SMALL = 12.0;
    private static final double LARGE = 4_800.0;

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldPublishTheFraudTreesScoreOfEveryEventOnceTheBundleIsAdopted() {
        fixture = new TopologyFixture(stateDir, Map.of());
        ModelBundle plain = ModelBundles.seededRandom(fixture.config.getString(PulseConfig.MODEL_NAME), 3L, 16);
        FeatureSpec spec = ModelBundles.toModel(plain).featureSpec();
        int amount = spec.names().indexOf("log_amount");
        float threshold = (normalisedAmount(spec, SMALL) + normalisedAmount(spec, LARGE)) / 2;
        // tree 1: the amount decides (-2 below the threshold, +2 above); tree 2: the first hidden unit nudges (±0.5);
        // the scores are floats, hence the 1e-6 on the bounds below
        FraudTrees trees = new FraudTrees(spec.inputSize(), 16, 0, 0f, new int[] {0, 3},
                new int[] {amount, -1, -1, spec.inputSize(), -1, -1},
                new float[] {threshold, -2f, 2f, 0f, -0.5f, 0.5f},
                new int[] {1, 0, 0, 4, 0, 0}, new int[] {2, 0, 0, 5, 0, 0}, new boolean[6]);
        ModelBundle withTrees = ModelBundles.withFraudTrees(plain, trees);
        fixture.modelWeights.pipeInput(withTrees.getName(), withTrees);
        LstmModel served = fixture.models.current();
        assertThat(served.hasFraudTrees()).isTrue();
        assertThat(served.version()).isEqualTo(plain.getVersion());

        UserEvent small = payment("u-1", Duration.ZERO, SMALL);
        UserEvent large = payment("u-2", Duration.ofMinutes(1), LARGE);
        fixture.send(small);
        fixture.send(large);

        List<Prediction> predictions = fixture.predictions.readValuesToList();
        assertThat(predictions).extracting(Prediction::getEventId).containsExactly(small.getEventId(),
                large.getEventId());
        assertThat(predictions.get(0).getFraudScore()).isCloseTo(FirstStep.fraud(served, small, new float[0]),
                within(1e-6)).isBetween(sigmoid(-2.5) - 1e-6, sigmoid(-1.5) + 1e-6);
        assertThat(predictions.get(1).getFraudScore()).isCloseTo(FirstStep.fraud(served, large, new float[0]),
                within(1e-6)).isBetween(sigmoid(1.5) - 1e-6, sigmoid(2.5) + 1e-6);
    }

    private static UserEvent payment(String userId, Duration offset, double amount) {
        return TopologyFixture.event(userId, EventType.PAYMENT, offset).setAmount(amount).build();
    }

    /** The normalised log-amount of a first payment of {@code amount}. */
    private static float normalisedAmount(FeatureSpec spec, double amount) {
        float[] raw = new float[spec.inputSize()];
        float[] x = new float[spec.inputSize()];
        new FeatureEncoder(spec).encode(EventType.PAYMENT, TopologyFixture.START.toEpochMilli(), amount, Double.NaN,
                BehaviourWindows.empty(), new float[0], 0, raw);
        spec.normalise(raw, x);
        return x[spec.names().indexOf("log_amount")];
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
