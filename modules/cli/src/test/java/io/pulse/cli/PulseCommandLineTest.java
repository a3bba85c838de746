package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.testsupport.FormatStrings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class PulseCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Pulse.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    /** A loopback port nothing listens on (bound, then released), so a client gets no answer there. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shouldRefuseAMalformedItemFileBeforeTrainingAndNameIt(@TempDir Path dir) throws IOException {
        Path items = Files.writeString(dir.resolve("items.json"), "{\"i1\": [1, 2], \"i2\": \"not a list\"}");

        int exit = run("train", "--source", "simulated", "--no-publish", "--items", items.toString(),
                "--out", dir.resolve("out").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains(items.toString());
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void shouldListEveryCommandInTheHelp() {
        int exit = run("--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("infra", "simulate", "erase");
    }

    @Test
    void shouldRequireTheUserToErase() {
        int exit = run("erase", "--schema-registry-url", "mock://cli-test");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--user=ID'");
    }

    @Test
    void shouldTellTheUserWhatToDoWhenKafkaIsNotRunningForAnErasure() throws IOException {
        int closedPort = closedPort();

        int exit = run("erase", "--user", "u-1", "--bootstrap-servers", "127.0.0.1:" + closedPort,
                "--schema-registry-url", "mock://cli-test",
                "-X", "default.api.timeout.ms=1500", "-X", "request.timeout.ms=1000");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("no answer from Kafka at 127.0.0.1:" + closedPort);
    }

    @Test
    void shouldDefaultToTheLocalInfraAddresses() {
        ClusterOptions options = new ClusterOptions();
        new picocli.CommandLine(options).parseArgs();

        // PULSE_* variables are not set in the test environment, so the built-in defaults apply
        assertThat(options.clientConfig())
                .containsEntry("bootstrap.servers", System.getenv().getOrDefault("PULSE_BOOTSTRAP_SERVERS",
                        "127.0.0.1:9092"))
                .containsEntry("schema.registry.url", System.getenv().getOrDefault("PULSE_SCHEMA_REGISTRY_URL",
                        "http://127.0.0.1:8081"));
    }

    @Test
    void shouldLetFlagsAndClientPropertiesOverrideTheDefaults() {
        ClusterOptions options = new ClusterOptions();
        new picocli.CommandLine(options).parseArgs("--bootstrap-servers", "kafka:9093",
                "--schema-registry-url", "https://registry:8081", "-X", "security.protocol=SSL",
                "-X", "basic.auth.user.info=u:p");

        assertThat(options.clientConfig())
                .containsEntry("bootstrap.servers", "kafka:9093")
                .containsEntry("schema.registry.url", "https://registry:8081")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("basic.auth.user.info", "u:p");
    }

    @Test
    void shouldTellTheUserWhatToDoWhenKafkaIsNotRunning() throws IOException {
        int closedPort = closedPort();

        int exit = run("simulate", "--events", "1", "--bootstrap-servers", "127.0.0.1:" + closedPort,
                "--schema-registry-url", "mock://cli-test",
                "-X", "default.api.timeout.ms=1500", "-X", "request.timeout.ms=1000");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains("no answer from Kafka at 127.0.0.1:" + closedPort)
                .contains("./pulse infra");
    }

    @Test
    void shouldRefuseANegativeEventCount() {
        int exit = run("simulate", "--events", "-5", "--schema-registry-url", "mock://cli-test");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("--events must not be negative");
    }

    @Test
    void shouldRefuseTerminalCompromisesWithoutBusyTerminalsNamingTheOptions() {
        int exit = run("simulate", "--events", "1", "--terminal-compromises-per-day", "2", "--schema-registry-url",
                "mock://cli-test");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("--busy-terminal-share", "busyTerminalShare above 0");
    }

    /**
     * Picocli formats every help text with {@code String.format} (its documented contract: a literal percent sign is
     * written {@code %%}); a bare {@code %} before a letter ("50 % and") is a format error, reported as a warning on
     * every {@code --help}, and the text is then printed raw. Checked on the annotations' own texts, for every command.
     */
    @Test
    void shouldWriteEveryHelpTextAsAValidFormatString() {
        List<String> texts = new ArrayList<>();
        collectHelpTexts(Pulse.commandLine(), texts);

        List<String> unformattable = FormatStrings.invalid(texts);

        assertThat(texts).hasSizeGreaterThan(50);
        assertThat(unformattable).isEmpty();
    }

    private static void collectHelpTexts(CommandLine command, List<String> texts) {
        for (Class<?> type = command.getCommandSpec().userObject().getClass(); type != Object.class;
                type = type.getSuperclass()) {
            Command about = type.getAnnotation(Command.class);
            if (about != null) {
                texts.addAll(List.of(about.description()));
            }
            for (Field field : type.getDeclaredFields()) {
                Option option = field.getAnnotation(Option.class);
                Parameters parameters = field.getAnnotation(Parameters.class);
                texts.addAll(List.of(option != null ? option.description()
                        : parameters != null ? parameters.description() : new String[0]));
            }
        }
        command.getSubcommands().values().forEach(sub -> collectHelpTexts(sub, texts));
    }
}
