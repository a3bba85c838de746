package io.pulse.deployment;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository's deployment files, parsed: YAML documents as plain maps and lists (anchors and merges resolved). */
final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /** The repository root: from the build ({@code pulse.repository.root}), else the nearest parent with a compose file. */
    static Path root() {
        String configured = System.getProperty("pulse.repository.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (set -Dpulse.repository.root)");
    }

    static Path resolve(String relative) {
        return root().resolve(relative);
    }

    /** The image name the build gives the image (the deployment module's {@code pulse.image} property). */
    static String imageName() {
        String image = System.getProperty("pulse.image");
        if (image == null) {
            throw new IllegalStateException("run through Maven, which passes -Dpulse.image from modules/deployment/pom.xml");
        }
        return image;
    }

    static Map<String, Object> yaml(Path file) {
        List<Object> documents = yamlDocuments(file);
        if (documents.size() != 1) {
            throw new IllegalStateException(file + " has " + documents.size() + " YAML documents, expected one");
        }
        return Tree.map(documents.get(0), file.toString());
    }

    static List<Object> yamlDocuments(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Object> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : yaml.loadAll(reader)) {
                if (document != null) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }
}
