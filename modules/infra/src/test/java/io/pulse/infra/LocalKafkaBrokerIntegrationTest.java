package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class LocalKafkaBrokerIntegrationTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepTopicsAcrossARestartOnTheSameDataDir() throws Exception {
        // Given a broker that created a topic and was closed (twice: close is idempotent)
        LocalKafkaBroker first = LocalKafkaBroker.builder().dataDir(dataDir).build().start();
        first.createTopics(Map.of("kept-topic", 2));
        first.createTopics(Map.of("kept-topic", 2)); // existing topics are left alone, not an error
        first.close();
        first.close();
        assertThat(first.isRunning()).isFalse();

        // When a new broker starts on the same directory (on other free ports) without clean
        try (LocalKafkaBroker second = LocalKafkaBroker.builder().dataDir(dataDir).build().start();
                Admin admin = second.createAdmin()) {
            // Then the topic is still there
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept-topic");
            assertThat(second.bootstrapServers()).isEqualTo("127.0.0.1:" + second.port());
        }
    }

    @Test
    void shouldForgetTopicsWhenStartedClean() throws Exception {
        try (LocalKafkaBroker first = LocalKafkaBroker.builder().dataDir(dataDir).build().start()) {
            first.createTopics(Map.of("forgotten-topic", 1));
        }

        try (LocalKafkaBroker second = LocalKafkaBroker.builder().dataDir(dataDir).clean(true).build().start();
                Admin admin = second.createAdmin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("forgotten-topic");
        }
    }

    @Test
    void shouldFailClearlyWhenAChosenPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            LocalKafkaBroker broker = LocalKafkaBroker.builder().port(taken.getLocalPort()).dataDir(dataDir).build();

            assertThatThrownBy(broker::start)
                    .isInstanceOf(InfraException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort() + " is already in use");
            assertThat(broker.isRunning()).isFalse();
        }
    }
}
