package io.pulse.pipeline.processing;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.Telemetry;
import io.pulse.registry.serde.AvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global {@code model-weights} store and the {@link ModelHolder} up to date. Input: the compacted
 * {@code model-weights} topic (model name → Avro {@code ModelBundle}). Bundles for other model names are stored but
 * not adopted; a bundle that does not decode or validate is logged, counted and ignored — the current model stays.
 *
 * <p>On start it also loads the newest stored bundle for this model, so an instance that restarts adopts the current
 * model before it scores anything, whether or not Kafka Streams replays the topic through this processor on restore.
 */
public final class ModelWeightsProcessor implements Processor<Bytes, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelWeightsProcessor.class);
    /** The user-state format keeps the hidden size in one byte. */
    static final int MAX_HIDDEN_SIZE = 255;

    private final String modelName;
    private final ModelHolder holder;
    private final Map<String, Object> serdeConfig;
    private final Telemetry telemetry;
    /** The entity types the topology computes: a model may use only these (same type, key and shape). */
    private final List<EntityWindowSpec> entities;
    private KeyValueStore<Bytes, byte[]> store;
    private AvroDeserializer<ModelBundle> deserializer;
    private String sourceTopic;

    public ModelWeightsProcessor(String modelName, ModelHolder holder, Map<String, Object> serdeConfig,
            Telemetry telemetry) {
        this(modelName, holder, serdeConfig, telemetry, List.of());
    }

    /**
     * A loader for a topology that computes the windows of {@code entities} (PulseConfig {@code entities.*}): a
     * bundle whose features need another entity type, key or window shape is refused.
     */
    public ModelWeightsProcessor(String modelName, ModelHolder holder, Map<String, Object> serdeConfig,
            Telemetry telemetry, List<EntityWindowSpec> entities) {
        this.entities = List.copyOf(entities);
        this.modelName = modelName;
        this.holder = holder;
        this.serdeConfig = serdeConfig;
        this.telemetry = telemetry;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StateStores.MODEL_WEIGHTS);
        deserializer = new AvroDeserializer<>(ModelBundle.class);
        deserializer.configure(serdeConfig, false);
        sourceTopic = context.recordMetadata().map(m -> m.topic()).orElse(PulseTopics.Names.MODEL_WEIGHTS);
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (modelName.equals(new String(entry.key.get(), StandardCharsets.UTF_8))) {
                    adopt(entry.value);
                }
            }
        }
    }

    @Override
    public void process(Record<Bytes, byte[]> record) {
        if (record.key() == null) {
            LOG.warn("ignoring a model bundle without a key (the key must be the model name)");
            telemetry.modelRejected();
            return;
        }
        store.put(record.key(), record.value());
        if (record.value() != null
                && modelName.equals(new String(record.key().get(), StandardCharsets.UTF_8))) {
            adopt(record.value());
        }
    }

    private void adopt(byte[] bytes) {
        try {
            ModelBundle bundle = deserializer.deserialize(sourceTopic, bytes);
            LstmModel model = ModelBundles.toModel(bundle);
            if (model.hiddenSize() > MAX_HIDDEN_SIZE) {
                throw new IllegalArgumentException("hidden size " + model.hiddenSize() + " exceeds the "
                        + MAX_HIDDEN_SIZE + " the per-user state stores (and its 512-byte budget assumes 64)");
            }
            for (EntityWindowSpec needed : model.featureSpec().entities()) {
                if (!entities.contains(needed)) {
                    // the topology's entity steps are fixed at start: the features could not be computed
                    throw new IllegalArgumentException("the bundle's features need entity windows " + needed
                            + ", which this pipeline does not compute (it computes " + entities + ": configure "
                            + "entities.types, entities.horizons, entities.label.delay and entities.bucket to match"
                            + " and restart, or train without that entity type)");
                }
            }
            holder.adopt(model);
        } catch (RuntimeException e) {
            LOG.error("ignoring an unusable bundle for model {}: {}; still scoring with version {}", modelName,
                    e.getMessage(), holder.current().version());
            telemetry.modelRejected();
        }
    }

    @Override
    public void close() {
        if (deserializer != null) {
            deserializer.close();
        }
    }
}
