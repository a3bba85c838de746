package io.pulse.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image tarball in {@code docker load} format, read without Docker: {@code manifest.json}, the image config, and
 * the entries of every layer (path, mode, owner, size), with the text of a few small files and the entry names of
 * some jars on request.
 */
final class ImageTarball {

    /** One file system entry of a layer. */
    record Entry(String path, int mode, boolean directory, long size, long uid, String layer) {
        boolean executable() {
            return (mode & 0111) != 0;
        }
    }

    final JsonNode manifest;
    final JsonNode config;
    final List<String> layers;
    /** path (without a leading slash) -> the entry of the topmost layer that has it. */
    final Map<String, Entry> entries;
    final Map<String, String> texts;
    /** jar path (without a leading slash) -> the names of its entries, for the jars asked for. */
    final Map<String, List<String>> jarEntries;

    private ImageTarball(JsonNode manifest, JsonNode config, List<String> layers, Map<String, Entry> entries,
            Map<String, String> texts, Map<String, List<String>> jarEntries) {
        this.manifest = manifest;
        this.config = config;
        this.layers = layers;
        this.entries = entries;
        this.texts = texts;
        this.jarEntries = jarEntries;
    }

    /** Reads the tarball; the text of every file in {@code textFiles} (paths without a leading slash) is kept. */
    static ImageTarball read(Path tarball, Set<String> textFiles) {
        return read(tarball, textFiles, path -> false);
    }

    /**
     * Reads the tarball; the text of every file in {@code textFiles} (paths without a leading slash) is kept, and the
     * entry names of every jar whose path {@code jarsToList} accepts.
     */
    static ImageTarball read(Path tarball, Set<String> textFiles, Predicate<String> jarsToList) {
        ObjectMapper json = new ObjectMapper();
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry member = outer.getNextEntry(); member != null; member = outer.getNextEntry()) {
                if (member.getName().endsWith(".json")) {
                    members.put(member.getName(), outer.readAllBytes());
                }
            }
            JsonNode manifest = json.readTree(members.get("manifest.json")).get(0);
            JsonNode config = json.readTree(members.get(manifest.get("Config").asText()));
            List<String> layers = new ArrayList<>();
            manifest.get("Layers").forEach(layer -> layers.add(layer.asText()));

            Map<String, Entry> entries = new LinkedHashMap<>();
            Map<String, String> texts = new LinkedHashMap<>();
            Map<String, List<String>> jarEntries = new LinkedHashMap<>();
            for (String layer : layers) {
                readLayer(tarball, layer, entries, texts, textFiles, jarEntries, jarsToList);
            }
            return new ImageTarball(manifest, config, layers, entries, texts, jarEntries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tarball, e);
        }
    }

    private static void readLayer(Path tarball, String layer, Map<String, Entry> entries, Map<String, String> texts,
            Set<String> textFiles, Map<String, List<String>> jarEntries, Predicate<String> jarsToList)
            throws IOException {
        try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry member = outer.getNextEntry(); member != null; member = outer.getNextEntry()) {
                if (!member.getName().equals(layer)) {
                    continue;
                }
                InputStream gzip = new GZIPInputStream(outer, 1 << 16);
                TarArchiveInputStream files = new TarArchiveInputStream(gzip);
                for (TarArchiveEntry file = files.getNextEntry(); file != null; file = files.getNextEntry()) {
                    String path = normalize(file.getName());
                    entries.put(path, new Entry(path, file.getMode() & 07777, file.isDirectory(), file.getSize(),
                            file.getLongUserId(), layer));
                    if (textFiles.contains(path)) {
                        ByteArrayOutputStream text = new ByteArrayOutputStream();
                        files.transferTo(text);
                        texts.put(path, text.toString(StandardCharsets.UTF_8));
                    } else if (!file.isDirectory() && path.endsWith(".jar") && jarsToList.test(path)) {
                        jarEntries.put(path, ShippedCode.entriesOf(files));
                    }
                }
                return;
            }
        }
        throw new IllegalStateException("layer " + layer + " is missing from " + tarball);
    }

    private static String normalize(String name) {
        String path = name.startsWith("./") ? name.substring(2) : name;
        path = path.startsWith("/") ? path.substring(1) : path;
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    List<String> entrypoint() {
        return strings(config.at("/config/Entrypoint"));
    }

    List<String> cmd() {
        return strings(config.at("/config/Cmd"));
    }

    /** The image's environment, {@code NAME=value} entries as a map. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        config.at("/config/Env").forEach(entry -> {
            String[] parts = entry.asText().split("=", 2);
            env.put(parts[0], parts[1]);
        });
        return env;
    }

    List<Entry> under(String directory) {
        return entries.values().stream().filter(entry -> entry.path().startsWith(directory + "/")).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
