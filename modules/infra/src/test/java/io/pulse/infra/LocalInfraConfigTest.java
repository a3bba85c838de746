package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInfraConfigTest {

    @Test
    void shouldDefaultToTheWellKnownPortsAndAKeptDataDir() {
        LocalInfraConfig config = LocalInfraConfig.defaults();

        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.registryPort()).isEqualTo(8081);
        assertThat(config.dataDir()).isEqualTo(Path.of(".pulse", "infra"));
        assertThat(config.clean()).isFalse();
        assertThat(config.deleteDataDirOnClose()).isFalse();
        assertThat(config.numPartitions()).isEqualTo(3);
        assertThat(config.startupTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.brokerProperties()).isEmpty();
    }

    @Test
    void shouldUseFreePortsAndAThrowawayDirForTests() {
        LocalInfraConfig config = LocalInfraConfig.forTests();

        assertThat(config.kafkaPort()).isZero();
        assertThat(config.registryPort()).isZero();
        assertThat(config.dataDir()).startsWithRaw(Path.of(System.getProperty("java.io.tmpdir"))).doesNotExist();
        assertThat(LocalInfraConfig.forTests().dataDir()).isNotEqualTo(config.dataDir());
        assertThat(config.clean()).isTrue();
        assertThat(config.deleteDataDirOnClose()).isTrue();
    }

    @Test
    void shouldRoundTripThroughItsBuilder() {
        LocalInfraConfig config = LocalInfraConfig.builder().kafkaPort(19092).brokerProperty("num.io.threads", "2")
                .build();

        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void shouldCarrySecurityThroughItsBuilderWithoutPrintingPasswords(@TempDir Path dir) throws IOException {
        KeyStoreFile keyStore = KeyStoreFile.pkcs12(Files.writeString(dir.resolve("server.p12"), "x"), "store-pw");
        LocalInfraConfig config = LocalInfraConfig.forTests().toBuilder()
                .kafkaTls(keyStore).kafkaScramUser("app", "scram-pw")
                .registryTls(keyStore).registryBasicAuthUser("reader", "basic-pw")
                .build();

        assertThat(config.security().kafkaScramUsers()).containsEntry("app", "scram-pw");
        assertThat(config.security().registryUsers()).containsEntry("reader", "basic-pw");
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toString()).contains("app", "reader").doesNotContain("store-pw", "scram-pw", "basic-pw");
    }

    @Test
    void shouldBeUnsecuredByDefault() {
        assertThat(LocalInfraConfig.defaults().security()).isEqualTo(LocalInfraConfig.Security.NONE);
    }

    @Test
    void shouldRefuseScramUsersWithoutKafkaTls() {
        assertThatThrownBy(() -> LocalInfraConfig.builder().kafkaScramUser("app", "pw").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need kafkaTls");
    }

    @Test
    void shouldRejectTheSamePortForBothServers() {
        assertThatThrownBy(() -> LocalInfraConfig.builder().kafkaPort(9000).registryPort(9000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must differ");
    }

    @Test
    void shouldRejectPortsOutOfRange() {
        assertThatThrownBy(() -> LocalInfraConfig.builder().kafkaPort(70_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafkaPort must be within 0..65535");
    }
}
