package io.pulse.cli;

import io.pulse.contracts.schema.PulseTopics;
import picocli.CommandLine.Option;

/**
 * The events topic a producing command ({@code pulse simulate}, {@code pulse replay}) writes to, and the partitions of
 * the topics it creates when they do not exist yet. The environment variable overrides the default topic name and the
 * flag overrides both.
 */
final class EventsTopicOptions {

    @Option(names = "--topic", defaultValue = "${env:PULSE_TOPIC_USER_EVENTS:-" + PulseTopics.Names.USER_EVENTS + "}",
            description = "Events topic to produce to (env PULSE_TOPIC_USER_EVENTS; default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--partitions", defaultValue = "6",
            description = "Partitions of the topics it has to create (default: ${DEFAULT-VALUE}).")
    int partitions;
}
