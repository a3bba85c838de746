package io.pulse.infra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.infra.InfraException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioDistributionTest {

    @TempDir
    Path tmp;

    @Test
    void shouldFindTheDistributionUnpackedByTheBuild() {
        ApicurioDistribution distribution = ApicurioDistribution.locate();

        assertThat(distribution.runnerJar()).isRegularFile();
        assertThat(distribution.version()).isEqualTo("3.0.9");
        assertThat(distribution.mainClass()).isNotBlank();
    }

    @Test
    void shouldPreferTheEnvironmentOverTheSystemPropertyOverTheBuild() throws IOException {
        Path fromEnv = fakeDistribution("env");
        Path fromProperty = fakeDistribution("property");
        Path fromBuild = fakeDistribution("build");
        Properties system = new Properties();
        system.setProperty(ApicurioDistribution.HOME_PROPERTY, fromProperty.toString());
        Properties build = new Properties();
        build.setProperty("apicurio.home", fromBuild.toString());
        build.setProperty("apicurio.version", "3.0.9");

        assertThat(ApicurioDistribution.locate(Map.of(ApicurioDistribution.HOME_ENV, fromEnv.toString()), system, build)
                .home()).isEqualTo(fromEnv);
        assertThat(ApicurioDistribution.locate(Map.of(), system, build).home()).isEqualTo(fromProperty);
        assertThat(ApicurioDistribution.locate(Map.of(), new Properties(), build).home()).isEqualTo(fromBuild);
        assertThat(ApicurioDistribution.locate(Map.of(), new Properties(), build).mainClass())
                .isEqualTo("example.Main");
    }

    @Test
    void shouldSayWhichCommandBuildsAMissingDistribution() {
        Properties build = new Properties();
        build.setProperty("apicurio.home", tmp.resolve("nothing-here").toString());
        build.setProperty("apicurio.version", "3.0.9");

        assertThatThrownBy(() -> ApicurioDistribution.locate(Map.of(), new Properties(), build))
                .isInstanceOf(InfraException.class)
                .hasMessageContaining("mvn -q -B install -DskipTests -pl modules/infra -am")
                .hasMessageContaining("PULSE_APICURIO_HOME")
                .hasMessageContaining("nothing-here");
    }

    private Path fakeDistribution(String name) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "example.Main");
        try (var out = new JarOutputStream(Files.newOutputStream(home.resolve("app-runner.jar")), manifest)) {
            out.flush();
        }
        return home;
    }
}
