package io.pulse.evaluation;

import io.pulse.contracts.ModelBundle;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs Pulse's production topology ({@link io.pulse.pipeline.PulseTopology#build}) over a fold's stream with the
 * fold's model adopted from the {@code model-weights} topic, and returns the fraud score of each wanted event, as the
 * pipeline published it in its {@code Prediction} when the event arrived.
 */
public interface PipelineScorer extends AutoCloseable {

    /** How the topology is run. */
    enum Mode {
        /** A real local Kafka broker and Schema Registry ({@code LocalInfra}), {@code PulsePipeline}, exactly-once. */
        BROKER,
        /** Kafka Streams' {@code TopologyTestDriver}: the same topology, stores, serdes and kernel; no broker. */
        TOPOLOGY_TEST_DRIVER
    }

    Mode mode();

    /** A line saying exactly how the scores were produced, for the results. */
    String describe();

    /**
     * @param wanted   the event ids whose scores to return (the test week)
     * @param progress receives a progress line now and then
     */
    Map<String, Double> score(HandbookData data, HandbookFold fold, ModelBundle bundle, Set<String> wanted,
            Consumer<String> progress) throws Exception;

    @Override
    default void close() {
    }
}
