package io.pulse.cli;

import io.pulse.infra.LocalInfraConfig;
import picocli.CommandLine.Option;

/**
 * The ports of the Kafka broker and the Schema Registry that {@code pulse infra} and {@code pulse demo} start on
 * 127.0.0.1. Environment variables override the defaults and flags override both.
 */
final class LocalPortsOptions {

    @Option(names = "--kafka-port", defaultValue = "${env:PULSE_KAFKA_PORT:-9092}",
            description = "Kafka listener port on 127.0.0.1 (env PULSE_KAFKA_PORT; default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "${env:PULSE_REGISTRY_PORT:-8081}",
            description = "Schema Registry port on 127.0.0.1 (env PULSE_REGISTRY_PORT; default: ${DEFAULT-VALUE}).")
    int registryPort;

    /** Sets both ports on {@code builder}. */
    LocalInfraConfig.Builder applyTo(LocalInfraConfig.Builder builder) {
        return builder.kafkaPort(kafkaPort).registryPort(registryPort);
    }
}
