package io.pulse.infra.internal;

import io.pulse.infra.InfraException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;

/**
 * Where the Apicurio Registry distribution (the unpacked {@code io.apicurio:apicurio-registry-app:<v>:tar.gz:all})
 * lives, and how to launch it.
 *
 * <p>Looked up, first match wins: the environment variable {@value #HOME_ENV}, the system property
 * {@value #HOME_PROPERTY}, then {@code apicurio.home} in {@code pulse-infra.properties}, which the build writes when it
 * unpacks the distribution into {@code modules/infra/target}.
 */
public final class ApicurioDistribution {

    public static final String HOME_ENV = "PULSE_APICURIO_HOME";
    public static final String HOME_PROPERTY = "pulse.apicurio.home";
    /** The command that unpacks the distribution, as told to whoever finds it missing. */
    public static final String BUILD_COMMAND = "mvn -q -B install -DskipTests -pl modules/infra -am";

    private static final String BUILD_PROPERTIES = "/pulse-infra.properties";

    private final Path home;
    private final String version;

    private ApicurioDistribution(Path home, String version) {
        this.home = home;
        this.version = version;
    }

    /** Finds the distribution from the process environment, system properties and the build's properties. */
    public static ApicurioDistribution locate() {
        return locate(System.getenv(), System.getProperties(), buildProperties());
    }

    /** As {@link #locate()}, with every source given, for tests. */
    public static ApicurioDistribution locate(Map<String, String> env, Properties systemProperties,
            Properties buildProperties) {
        String version = buildProperties.getProperty("apicurio.version", "unknown");
        String fromEnv = env.get(HOME_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return at(Path.of(fromEnv), version, "environment variable " + HOME_ENV);
        }
        String fromProperty = systemProperties.getProperty(HOME_PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return at(Path.of(fromProperty), version, "system property " + HOME_PROPERTY);
        }
        String fromBuild = buildProperties.getProperty("apicurio.home");
        if (fromBuild == null || fromBuild.isBlank() || fromBuild.contains("${")) {
            throw new InfraException("The Apicurio Registry location is unknown (pulse-infra.properties was not"
                    + " filtered by the build). Build it from the repository root with: " + BUILD_COMMAND
                    + " (or set " + HOME_ENV + " to an unpacked apicurio-registry-app " + version
                    + " tar.gz:all distribution)");
        }
        return at(Path.of(fromBuild), version, "pulse-infra.properties");
    }

    /** The distribution unpacked at {@code home}. */
    public static ApicurioDistribution at(Path home) {
        return at(home, buildProperties().getProperty("apicurio.version", "unknown"), "the caller");
    }

    private static ApicurioDistribution at(Path home, String version, String source) {
        ApicurioDistribution distribution = new ApicurioDistribution(home.toAbsolutePath().normalize(), version);
        if (!Files.isRegularFile(distribution.runnerJar())) {
            throw new InfraException("The Apicurio Registry distribution is missing: no *-runner.jar in "
                    + distribution.home + " (location from " + source + "). Build it from the repository root with: "
                    + BUILD_COMMAND + " (it unpacks io.apicurio:apicurio-registry-app:" + version
                    + ":tar.gz:all from Maven Central), or set " + HOME_ENV + " to an unpacked copy.");
        }
        return distribution;
    }

    public Path home() {
        return home;
    }

    public String version() {
        return version;
    }

    /** The Quarkus runner jar: its manifest names the main class and the {@code lib/} jars. */
    public Path runnerJar() {
        try (var files = Files.list(home)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElse(home.resolve("apicurio-registry-app-" + version + "-runner.jar"));
        } catch (IOException e) {
            return home.resolve("apicurio-registry-app-" + version + "-runner.jar");
        }
    }

    /** The runner jar's {@code Main-Class}. */
    public String mainClass() {
        try (JarFile jar = new JarFile(runnerJar().toFile())) {
            var manifest = jar.getManifest();
            String mainClass = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            if (mainClass == null) {
                throw new InfraException(runnerJar() + " has no Main-Class in its manifest");
            }
            return mainClass;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + runnerJar(), e);
        }
    }

    private static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = ApicurioDistribution.class.getResourceAsStream(BUILD_PROPERTIES)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + BUILD_PROPERTIES, e);
        }
        return properties;
    }

    @Override
    public String toString() {
        return "Apicurio Registry " + version + " at " + home;
    }
}
