package io.pulse.deployment.container;

import io.pulse.infra.internal.ApicurioDistribution;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Local images that stand in for docker-compose.yml's third-party images, which cannot be pulled here. Each is built
 * with {@code podman build} on top of Pulse's own image (its Java runtime, glibc and jars) from what this build already
 * has: Kafka 4.4.0's broker (in Pulse's image) and tools (from Maven Central), Apicurio Registry (the distribution
 * {@code modules/infra} unpacks), Debian's busybox-static as the shell. The Containerfiles say what each one is and is
 * not. Built once per JVM; podman's layer cache makes a rebuild quick.
 */
final class StandInImages {

    /** For {@code PULSE_KAFKA_IMAGE}: the same Kafka version as the default {@code apache/kafka:4.4.0}. */
    static final String KAFKA = "localhost/pulse-test-kafka-standin:4.4.0";
    /** For {@code PULSE_SCHEMA_REGISTRY_IMAGE}: Apicurio, not Confluent's registry. */
    static final String SCHEMA_REGISTRY = "localhost/pulse-test-schema-registry-standin:apicurio";

    private static final String RESOURCES = "/io/pulse/deployment/container/standins/";
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static boolean built;

    private StandInImages() {
    }

    /** Builds both stand-ins (once per JVM); returns the Compose variables that select them. */
    static synchronized Map<String, String> build(Podman podman, Path workDir) {
        if (!built) {
            try {
                Path kafka = context(workDir, "kafka", "Containerfile", "kafka-standin.sh",
                        "kafka-broker-api-versions.sh");
                copyTree(libsDir(), kafka.resolve("libs"));
                build(podman, kafka, KAFKA);

                Path registry = context(workDir, "schema-registry", "Containerfile", "registry-standin.sh", "curl");
                copyTree(ApicurioDistribution.locate().home(), registry.resolve("apicurio"));
                copyFrontClasses(registry.resolve("front"));
                build(podman, registry, SCHEMA_REGISTRY);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot assemble the stand-in images' build contexts", e);
            }
            built = true;
        }
        return Map.of("PULSE_KAFKA_IMAGE", KAFKA, "PULSE_SCHEMA_REGISTRY_IMAGE", SCHEMA_REGISTRY);
    }

    private static void build(Podman podman, Path context, String tag) {
        podman.run(Duration.ofMinutes(10), "build", "--pull=never", "--build-arg",
                "PULSE_IMAGE=" + ContainerImage.name(), "--label", Podman.LABEL, "--tag", tag, context.toString())
                .orThrow();
    }

    /** A fresh build context with the named resource files and busybox. */
    private static Path context(Path workDir, String name, String... files) throws IOException {
        Path dir = workDir.resolve(name);
        if (Files.exists(dir)) {
            deleteTree(dir);
        }
        Files.createDirectories(dir);
        for (String file : files) {
            try (InputStream in = StandInImages.class.getResourceAsStream(RESOURCES + name + "/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCES + name + "/" + file);
                }
                Files.copy(in, dir.resolve(file));
            }
        }
        Files.copy(BUSYBOX, dir.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        return dir;
    }

    /** kafka-tools, copied by the build (maven-dependency-plugin) into the directory it names. */
    private static Path libsDir() {
        String dir = System.getProperty("pulse.standin.libs");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("no stand-in jars at " + dir + " (-Dpulse.standin.libs, written by the"
                    + " build in pre-integration-test)");
        }
        return Path.of(dir);
    }

    /** The front's compiled classes, as a bare class directory (its package path kept). */
    private static void copyFrontClasses(Path target) throws IOException {
        Path classes;
        try {
            classes = Path.of(RegistryFrontStandIn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String packagePath = RegistryFrontStandIn.class.getPackageName().replace('.', '/');
        Path dir = Files.createDirectories(target.resolve(packagePath));
        try (Stream<Path> files = Files.list(classes.resolve(packagePath))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(
                    RegistryFrontStandIn.class.getSimpleName())).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
    }

    private static void copyTree(Path from, Path to) {
        Podman.exec(List.of("cp", "-a", from.toString(), to.toString()), Duration.ofMinutes(2), Map.of()).orThrow();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(path);
            }
        }
    }
}
