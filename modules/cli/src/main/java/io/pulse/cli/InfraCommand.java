package io.pulse.cli;

import io.pulse.contracts.schema.PulseTopics;
import io.pulse.infra.LocalInfra;
import io.pulse.infra.LocalInfraConfig;
import io.pulse.pipeline.TopicProvisioner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse infra}: a real Kafka broker (KRaft, in-process) and a real Confluent-compatible Schema Registry
 * (Apicurio, child process) on 127.0.0.1, with Pulse's topics created, until Ctrl-C or SIGTERM.
 */
@Command(name = "infra", mixinStandardHelpOptions = true,
        description = "Run a local Kafka broker and Schema Registry on 127.0.0.1 until Ctrl-C.")
final class InfraCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LocalPortsOptions ports;

    @Option(names = "--data-dir", defaultValue = "${env:PULSE_INFRA_DIR:-.pulse/infra}",
            description = "Where broker logs and registry logs live (env PULSE_INFRA_DIR; default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--clean", description = "Delete the data directory first and start from nothing.")
    boolean clean;

    @Option(names = "--partitions", defaultValue = "6",
            description = "Partitions of the user-keyed topics created at start (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("starting Kafka and the Schema Registry (first start may take half a minute)...");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        LocalInfra infra = LocalInfra.start(ports.applyTo(LocalInfraConfig.builder())
                .dataDir(dataDir.toAbsolutePath())
                .clean(clean)
                .build());
        Thread shutdown = new Thread(() -> {
            out.println("stopping...");
            out.flush();
            infra.close();
            out.println("stopped");
            out.flush();
            stopped.countDown();
        }, "pulse-infra-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        Map<String, Object> clientConfig = Map.of(
                "bootstrap.servers", infra.bootstrapServers(),
                "schema.registry.url", infra.schemaRegistryUrl());
        var created = TopicProvisioner.ensureTopics(clientConfig, PulseTopics.defaults(partitions));
        out.printf("%nPulse infra is up.%n");
        out.printf("  Kafka bootstrap servers : %s%n", infra.bootstrapServers());
        out.printf("  Schema Registry URL     : %s   (schema.registry.url for Confluent clients)%n",
                infra.schemaRegistryUrl());
        out.printf("  Data directory          : %s%n", infra.dataDir());
        out.printf("  Topics created          : %s%n", created.isEmpty() ? "(all existed)" : String.join(", ", created));
        out.printf("%nPress Ctrl-C to stop.%n");
        out.flush();
        stopped.await();
        return 0;
    }
}
