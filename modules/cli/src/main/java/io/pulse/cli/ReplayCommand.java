package io.pulse.cli;

import io.pulse.contracts.schema.PulseTopics;
import io.pulse.pipeline.TopicProvisioner;
import io.pulse.simulator.publish.PublishResult;
import io.pulse.simulator.replay.ColumnMapping;
import io.pulse.simulator.replay.CsvReplaySource;
import io.pulse.simulator.replay.ReplayOptions;
import io.pulse.simulator.replay.Replayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse replay}: publishes any CSV event log (a file or a directory of files) to the events topic. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay a CSV event log (plain or gzipped; a file or a directory read in name order) to Kafka,"
                + " as fast as possible or at N times real time. A label column becomes delayed FRAUD labels on the"
                + " labels topic.",
                "Example (the fraud data set): --csv ../shared/datasets/fraud-transactions --map "
                        + "'user=CUSTOMER_ID,time=TX_DATETIME:yyyy-MM-dd HH:mm:ss,type=const:PAYMENT,item=TERMINAL_ID,"
                        + "amount=TX_AMOUNT,label=TX_FRAUD,attr.terminal=TERMINAL_ID'",
                "attr.NAME=COL puts the column into the event's attribute NAME: attr.terminal is what a pipeline with"
                        + " entities.types=terminal and a model trained with --entity terminal key the terminal by."})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--csv", required = true, paramLabel = "PATH", description = "CSV file or directory of files.")
    Path csv;

    @Option(names = "--map", required = true, paramLabel = "MAPPING",
            description = "Column mapping: user=COL,time=COL[:epoch-s|epoch-ms|iso|PATTERN],type=COL|const:TYPE"
                    + "[,item=COL][,category=COL][,amount=COL][,rating=COL][,session=COL][,id=COL][,label=COL]"
                    + "[,attr.NAME=COL][,zone=ZONE][,delimiter=C]")
    String mapping;

    @Option(names = "--speed", defaultValue = "0", paramLabel = "N",
            description = "Replay at N times real time (event-time gaps divided by N); 0 = as fast as possible"
                    + " (default).")
    double speed;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N events.")
    Long limit;

    @Option(names = "--label-delay", defaultValue = "7d", paramLabel = "DURATION",
            description = "How long after an event its label becomes known, e.g. 7d, 36h (default: ${DEFAULT-VALUE}).")
    String labelDelay;

    @Mixin
    EventsTopicOptions target;

    @Option(names = "--labels-topic", defaultValue = PulseTopics.Names.USER_LABELS,
            description = "Labels topic (default: ${DEFAULT-VALUE}).")
    String labelsTopic;


    @Override
    public Integer call() throws Exception {
        if (!Files.exists(csv)) {
            throw new IllegalArgumentException("no such file or directory: " + csv);
        }
        ColumnMapping columns = ColumnMapping.parse(mapping);
        ReplayOptions options = ReplayOptions.defaults().withLabelDelay(Durations.parse(labelDelay));
        TopicProvisioner.ensureTopics(cluster.clientConfig(), List.of(
                PulseTopics.USER_EVENTS.withName(target.topic).spec(target.partitions),
                PulseTopics.USER_LABELS.withName(labelsTopic).spec(target.partitions)));
        PublishResult result;
        try (CsvReplaySource source = CsvReplaySource.open(csv, columns, options);
             Replayer replayer = new Replayer(cluster.clientConfig(), target.topic, labelsTopic);
             ProgressBar bar = new ProgressBarBuilder()
                     .setTaskName("replay")
                     .setInitialMax(limit == null ? -1 : limit)
                     .setStyle(ProgressBarStyle.ASCII)
                     .setConsumer(new ConsoleProgressBarConsumer(System.err))
                     .setUnit(" events", 1)
                     .showSpeed()
                     .build()) {
            result = replayer.replay(source, speed <= 0 ? Double.POSITIVE_INFINITY : speed,
                    limit == null ? Long.MAX_VALUE : limit, bar::stepTo);
            spec.commandLine().getOut().printf("replayed %d events and %d labels from %d file(s) in %s"
                            + " (%.0f events/s); %d bad rows, %d out-of-order rows, %d labels not yet due%n",
                    result.events(), result.labels(), source.files().size(), format(result.elapsed()),
                    result.eventsPerSecond(), source.badRows(), source.outOfOrderRows(),
                    replayer.labelsNotYetDue());
            source.badRowSamples().forEach(sample -> spec.commandLine().getErr().println("  bad row: " + sample));
        }
        return result.interrupted() ? 130 : 0;
    }

    private static String format(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 60 ? (seconds / 60) + " min " + (seconds % 60) + " s"
                : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
