package io.pulse.infra.internal;

import io.pulse.infra.InfraException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import kafka.tools.StorageTool;

/**
 * Formatting a KRaft node's storage, shared by the single local broker and the local cluster: the broker settings are
 * written to {@code <dataDir>/server.properties} (what {@code kafka-storage.sh format} reads) and Kafka's own
 * {@link StorageTool} formats the log directory, leaving one formatted by an earlier run as it is.
 */
public final class KraftStorage {

    private KraftStorage() {
    }

    /**
     * Formats the log directory named in {@code props} with {@code clusterId}, unless an earlier run did.
     *
     * @param writer which class writes the settings file (its header comment says so)
     * @param what   the node, for the error message (e.g. {@code "node 2 in /tmp/x/node-2"})
     * @return what the tool printed
     * @throws InfraException if the tool fails
     */
    public static String format(Path dataDir, Properties props, String clusterId, String writer, String what) {
        DataDirs.ensure(dataDir);
        Path configFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "Written by Pulse's " + writer + " on each start; edit the builder, not this file");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + configFile, e);
        }
        String[] args = {
            "format",
            "--config", configFile.toString(),
            // every node of a cluster, and every restart of a node, must use the same id
            "--cluster-id", clusterId,
            // a data dir formatted by an earlier run keeps its topics
            "--ignore-formatted",
        };
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args, printStream);
        }
        String printed = output.toString(StandardCharsets.UTF_8).strip();
        if (exitCode != 0) {
            throw new InfraException("formatting Kafka storage of " + what + " failed (exit code " + exitCode + "): "
                    + printed);
        }
        return printed;
    }

    /** The cluster id a log directory was formatted with by an earlier run, if it was. */
    public static Optional<String> clusterIdIn(Path logDir) {
        Path metaProperties = logDir.resolve("meta.properties");
        if (!Files.isRegularFile(metaProperties)) {
            return Optional.empty();
        }
        Properties meta = new Properties();
        try (var in = Files.newInputStream(metaProperties)) {
            meta.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + metaProperties, e);
        }
        return Optional.ofNullable(meta.getProperty("cluster.id"));
    }
}
