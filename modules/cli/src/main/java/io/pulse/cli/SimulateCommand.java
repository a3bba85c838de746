package io.pulse.cli;

import io.pulse.contracts.schema.PulseTopics;
import io.pulse.pipeline.TopicProvisioner;
import io.pulse.simulator.EventSimulator;
import io.pulse.simulator.SimulationConfig;
import io.pulse.simulator.publish.EventPublisher;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse simulate}: produces synthetic user events to the events topic. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Produce simulated user events (Avro, Confluent wire format) to Kafka.")
final class SimulateCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", defaultValue = "1000",
            description = "Number of events to produce (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--users", paramLabel = "N", defaultValue = "50",
            description = "Number of simulated users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--seed", description = "Random seed; the same seed and --start give the same events and "
            + "event ids (default: a fresh seed per run, printed so a run can be repeated).")
    Long seed;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Event time of the first event, ISO-8601 (default: chosen so that the last event happens"
                    + " now, i.e. the events are a recent history; pipelines refuse events far in the future).")
    Instant start;

    @Mixin
    EventsTopicOptions target;

    @Mixin
    TerminalCompromiseOptions terminals;

    /** Runs the (cheap, deterministic) simulation once to learn how long N events span, and ends it at now. */
    private Instant startSoThatTheLastEventIsNow(SimulationConfig config) {
        Instant provisional = Instant.now();
        EventSimulator dryRun = new EventSimulator(config.withStart(provisional));
        Instant last = provisional;
        for (long i = 0; i < events; i++) {
            last = dryRun.next().getEventTime();
        }
        return provisional.minus(Duration.between(provisional, last));
    }

    @Override
    public Integer call() {
        if (events < 0) {
            throw new IllegalArgumentException("--events must not be negative, was " + events);
        }
        long effectiveSeed = seed != null ? seed : new SecureRandom().nextLong();
        SimulationConfig config = terminals.applyTo(SimulationConfig.defaults()
                .withSeed(effectiveSeed)
                .withUsers(users));
        config = config.withStart(start != null ? start : startSoThatTheLastEventIsNow(config));
        List<String> created = TopicProvisioner.ensureTopics(cluster.clientConfig(),
                List.of(PulseTopics.USER_EVENTS.withName(target.topic).spec(target.partitions)));
        if (!created.isEmpty()) {
            spec.commandLine().getErr().println("created topic " + target.topic + " with " + target.partitions
                    + " partitions");
        }
        long published;
        try (EventPublisher publisher = new EventPublisher(cluster.clientConfig(), target.topic);
             ProgressBar bar = new ProgressBarBuilder()
                     .setTaskName("simulate")
                     .setInitialMax(events)
                     .setStyle(ProgressBarStyle.ASCII)
                     .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                     .setUnit(" events", 1)
                     .showSpeed()
                     .build()) {
            published = publisher.publish(new EventSimulator(config), events, bar::stepTo);
        }
        spec.commandLine().getOut().printf("produced %d events for %d users to %s at %s (seed %d)%n",
                published, users, target.topic, cluster.bootstrapServers(), effectiveSeed);
        return 0;
    }
}
