package io.pulse.trainer;

import io.pulse.contracts.schema.PulseTopics;
import io.pulse.model.EntityWindowSpec;
import io.pulse.trainer.train.FraudTreesTrainer;
import io.pulse.trainer.train.InterestConfig;
import io.pulse.trainer.train.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a training round does around the training itself: where the report goes, which model it is, whether and
 * where to publish, and what the current model is.
 *
 * @param modelName    the model name, key on the weights topic (default {@code pulse-lstm})
 * @param outBase      reports go to {@code outBase/<version>/} (default {@code .pulse/train})
 * @param training     how to train
 * @param publish      produce the bundle to the weights topic when it beats the current model; with false, Kafka is
 *                     not contacted for the current model either (use {@code currentFile})
 * @param clientConfig Kafka client and serde settings for the weights topic
 * @param weightsTopic the weights topic (default {@code model-weights})
 * @param currentFile  a bundle file to compare against instead of the topic's latest record; may be null
 * @param timeout      per Kafka operation
 * @param interests    train the interest heads (feature spec version 2) this way; null for a version-1 model
 * @param entities     entity types whose windows (docs/design/entities.md) the model reads, in this order: declared
 *                     in the bundle's feature spec (version 2) and computed by one replay of every user's events and
 *                     the history's fraud labels at their arrival time; empty for none
 * @param fraudTrees   also fit a gradient-boosted fraud head on the trained LSTM with these settings and serve it if
 *                     it beats the linear fraud head on the validation period ({@link FraudTreesTrainer}); null for
 *                     none
 */
public record TrainJobConfig(String modelName, Path outBase, TrainingConfig training, boolean publish,
        Map<String, Object> clientConfig, String weightsTopic, Path currentFile, Duration timeout,
        InterestConfig interests, List<EntityWindowSpec> entities, FraudTreesTrainer.Settings fraudTrees) {

    public static final String DEFAULT_MODEL_NAME = "pulse-lstm";
    public static final Path DEFAULT_OUT = Path.of(".pulse", "train");

    public TrainJobConfig {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(outBase, "outBase");
        Objects.requireNonNull(training, "training");
        clientConfig = Map.copyOf(clientConfig);
        Objects.requireNonNull(weightsTopic, "weightsTopic");
        Objects.requireNonNull(timeout, "timeout");
        entities = List.copyOf(entities);
    }

    /** Defaults: {@code pulse-lstm}, {@code .pulse/train}, default training, no publishing, {@code model-weights}. */
    public static TrainJobConfig defaults() {
        return new TrainJobConfig(DEFAULT_MODEL_NAME, DEFAULT_OUT, TrainingConfig.defaults(), false, Map.of(),
                PulseTopics.MODEL_WEIGHTS.name(), null, Duration.ofSeconds(60), null, List.of(), null);
    }

    public TrainJobConfig withModelName(String value) {
        return new TrainJobConfig(value, outBase, training, publish, clientConfig, weightsTopic, currentFile, timeout,
                interests, entities, fraudTrees);
    }

    public TrainJobConfig withOutBase(Path value) {
        return new TrainJobConfig(modelName, value, training, publish, clientConfig, weightsTopic, currentFile,
                timeout, interests, entities, fraudTrees);
    }

    public TrainJobConfig withTraining(TrainingConfig value) {
        return new TrainJobConfig(modelName, outBase, value, publish, clientConfig, weightsTopic, currentFile,
                timeout, interests, entities, fraudTrees);
    }

    /** Publishing to {@code topic} on the cluster {@code clientConfig} describes. */
    public TrainJobConfig withPublishing(Map<String, Object> config, String topic) {
        return new TrainJobConfig(modelName, outBase, training, true, config, topic, currentFile, timeout,
                interests, entities, fraudTrees);
    }

    /** Kafka settings for reading the current model without publishing. */
    public TrainJobConfig withCluster(Map<String, Object> config, String topic) {
        return new TrainJobConfig(modelName, outBase, training, publish, config, topic, currentFile, timeout,
                interests, entities, fraudTrees);
    }

    public TrainJobConfig withCurrentFile(Path value) {
        return new TrainJobConfig(modelName, outBase, training, publish, clientConfig, weightsTopic, value, timeout,
                interests, entities, fraudTrees);
    }

    /** Training the interest heads as {@code value} says (null: a version-1 model). */
    public TrainJobConfig withInterests(InterestConfig value) {
        return new TrainJobConfig(modelName, outBase, training, publish, clientConfig, weightsTopic, currentFile,
                timeout, value, entities, fraudTrees);
    }

    /** Declaring {@code value} as the model's entity types, in this order (empty: none). */
    public TrainJobConfig withEntities(List<EntityWindowSpec> value) {
        return new TrainJobConfig(modelName, outBase, training, publish, clientConfig, weightsTopic, currentFile,
                timeout, interests, value, fraudTrees);
    }

    /** Fitting a gradient-boosted fraud head with {@code value} (null: none). */
    public TrainJobConfig withFraudTrees(FraudTreesTrainer.Settings value) {
        return new TrainJobConfig(modelName, outBase, training, publish, clientConfig, weightsTopic, currentFile,
                timeout, interests, entities, value);
    }

    /**
     * An entity type as {@code pulse train --entity} takes it, with ISO-8601 durations:
     * {@code terminal=attr.terminal:horizons=PT24H,PT168H:delay=PT168H:bucket=PT24H}.
     */
    public static String describe(EntityWindowSpec entity) {
        return entity.type() + "=" + entity.key() + ":horizons="
                + entity.horizons().stream().map(Duration::toString).collect(Collectors.joining(","))
                + ":delay=" + entity.labelDelay() + ":bucket=" + entity.bucket();
    }

    /** The settings as text (no client config: it may hold secrets). */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>(training.asMap());
        map.put("modelName", modelName);
        map.put("publish", Boolean.toString(publish));
        map.put("weightsTopic", weightsTopic);
        if (currentFile != null) {
            map.put("currentFile", currentFile.toString());
        }
        if (interests != null) {
            map.putAll(interests.asMap());
        }
        if (!entities.isEmpty()) {
            map.put("entities", entities.stream().map(TrainJobConfig::describe).collect(Collectors.joining(" ")));
        }
        if (fraudTrees != null) {
            map.putAll(fraudTrees.asMap());
        }
        return map;
    }
}
