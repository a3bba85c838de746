package io.pulse.deployment;

import io.pulse.pipeline.PulseConfig;
import io.pulse.registry.SchemaRegistryClientConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What a deployment's {@code PULSE_*} environment means to Pulse, computed by Pulse's own code: the same
 * {@link PulseConfig#fromEnvironment} and {@link PulseConfig#load} the pipeline runs at start-up.
 */
final class PulseSettings {

    /** Variables of the launcher and the image that are not configuration keys (PulseConfig skips them). */
    private static final Set<String> NOT_KEYS = Set.of("PULSE_DEBUG", "PULSE_LOG_LEVEL", "PULSE_CONFIG");

    private PulseSettings() {
    }

    /** Only the {@code PULSE_*} variables of an environment. */
    static Map<String, String> pulseVariables(Map<String, String> env) {
        Map<String, String> pulse = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("PULSE_") && !NOT_KEYS.contains(name)) {
                pulse.put(name, value);
            }
        });
        return pulse;
    }

    /** The configuration keys the variables set: {@code PULSE_GROUP_INSTANCE_ID=x} gives {@code group.instance.id=x}. */
    static Map<String, String> keys(Map<String, String> env) {
        return new TreeMap<>(PulseConfig.fromEnvironment(pulseVariables(env)));
    }

    /** Keys somebody reads: Pulse's own, Kafka Streams', its clients', and the Schema Registry client's. */
    static Set<String> knownKeys() {
        Set<String> known = new HashSet<>(PulseConfig.configDef().names());
        known.addAll(StreamsConfig.configDef().names());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(ProducerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        known.addAll(SchemaRegistryClientConfig.configDef().names());
        return known;
    }

    /**
     * The pipeline's configuration from this environment alone, validated by Pulse ({@link PulseConfig}) and by Kafka
     * Streams ({@link StreamsConfig}), as at start-up. Throws {@code ConfigException} for a value either rejects.
     */
    static PulseConfig pipelineConfig(Map<String, String> env) {
        PulseConfig config = PulseConfig.load(null, pulseVariables(env), Map.of());
        new StreamsConfig(config.streamsProperties());
        return config;
    }
}
