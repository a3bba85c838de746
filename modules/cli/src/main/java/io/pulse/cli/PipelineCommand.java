package io.pulse.cli;

import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse pipeline}: runs one instance of the streaming pipeline until Ctrl-C or SIGTERM. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Run the Pulse streaming pipeline (one instance; start more with the same application id"
                + " to share the work).",
                "Settings: defaults < --config FILE < PULSE_* environment variables < flags and --set KEY=VALUE."})
final class PipelineCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:PULSE_CONFIG}",
            description = "A properties file with pipeline settings (env PULSE_CONFIG).")
    Path configFile;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port of the HTTP server (queries, health, metrics); default 8080.")
    Integer httpPort;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Directory of the state stores.")
    Path stateDir;

    @Option(names = "--application-id", paramLabel = "ID", description = "Kafka Streams application id.")
    String applicationId;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any pipeline setting, e.g. --set fraud.alert.threshold=0.9. Repeatable.")
    Map<String, String> settings = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        // cluster flags count as flags only when given; otherwise the environment and file layers decide
        if (spec.commandLine().getParseResult().hasMatchedOption("--bootstrap-servers")) {
            overrides.put(PulseConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--schema-registry-url")) {
            overrides.put(PulseConfig.SCHEMA_REGISTRY_URL, cluster.schemaRegistryUrl());
        }
        cluster.clientProperties.forEach(overrides::put);
        if (httpPort != null) {
            overrides.put(PulseConfig.HTTP_PORT, httpPort.toString());
        }
        if (stateDir != null) {
            overrides.put(PulseConfig.STATE_DIR, stateDir.toString());
        }
        if (applicationId != null) {
            overrides.put(PulseConfig.APPLICATION_ID, applicationId);
        }
        overrides.putAll(settings);
        PulseConfig config = PulseConfig.load(configFile, System.getenv(), overrides);

        PulsePipeline pipeline = new PulsePipeline(config);
        Thread shutdown = new Thread(pipeline::close, "pulse-pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        pipeline.start();
        spec.commandLine().getOut().printf("Pulse pipeline running: http://%s:%d (GET /users/{id}, /health, /ready,"
                        + " /metrics). Ctrl-C to stop.%n", config.getString(PulseConfig.HTTP_HOST),
                pipeline.httpPort());
        spec.commandLine().getOut().flush();
        pipeline.awaitStop();
        return 0;
    }
}
