package io.pulse.pipeline.processing;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.Telemetry;
import io.pulse.registry.serde.AvroDeserializer;
import java.nio.charset.StandardCharsets;
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
    private KeyValueStore<Bytes, byte[]> store;
    private AvroDeserializer<ModelBundle> deserializer;
    private String sourceTopic;

    public ModelWeightsProcessor(String modelName, ModelHolder holder, Map<String, Object> serdeConfig,
            Telemetry telemetry) {
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
            if (model.featureSpec().hasEntities()) {
                // the trainer can build such bundles (EntityReplay); the pipeline has no entity stores yet
                throw new IllegalArgumentException("the bundle's features include entity windows ("
                        + model.featureSpec().entities().size() + " entity type(s)), which this pipeline does not"
                        + " compute yet (docs/design/entities.md, step 4): train it without entities");
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
