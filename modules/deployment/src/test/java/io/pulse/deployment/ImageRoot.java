package io.pulse.deployment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The image's layers unpacked into a directory, and programs run inside it the way a container runtime would run
 * them, without one: in new mount and PID namespaces with {@code /proc} and {@code /dev} mounted, {@code chroot}ed
 * into the directory, as the image's user, with only the image's environment. Needs root and util-linux.
 */
final class ImageRoot {

    /** What a run printed and how it ended. */
    record Result(int exitCode, String output) {
    }

    private final Path root;
    private final String user;
    private final Map<String, String> environment;
    private final Path unshare;
    private final Path chroot;
    private final Path mount;

    private ImageRoot(Path root, String user, Map<String, String> environment, Path unshare, Path chroot,
            Path mount) {
        this.root = root;
        this.user = user;
        this.environment = environment;
        this.unshare = unshare;
        this.chroot = chroot;
        this.mount = mount;
    }

    /** Why images cannot be run here, or empty when they can. */
    static Optional<String> whyNotRunnable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("running the image needs root (chroot, namespaces); running as "
                    + System.getProperty("user.name"));
        }
        for (String tool : List.of("unshare", "chroot", "mount", "tar")) {
            if (find(tool).isEmpty()) {
                return Optional.of("running the image needs '" + tool + "' (util-linux, coreutils, tar)");
            }
        }
        return Optional.empty();
    }

    /** Unpacks the layers of {@code image} in order into {@code root}. */
    static ImageRoot unpack(Path tarball, ImageTarball image, Path root) throws IOException, InterruptedException {
        Path layers = Files.createDirectories(root.resolveSibling(root.getFileName() + "-layers"));
        Path rootfs = Files.createDirectories(root);
        run(List.of(find("tar").orElseThrow().toString(), "-xf", tarball.toString(), "-C", layers.toString()),
                Map.of(), 120);
        for (String layer : image.layers) {
            Result result = run(List.of(find("tar").orElseThrow().toString(), "--warning=no-unknown-keyword",
                    "-xzpf", layers.resolve(layer).toString(), "-C", rootfs.toString()), Map.of(), 120);
            if (result.exitCode() != 0) {
                throw new IllegalStateException("unpacking " + layer + " failed: " + result.output());
            }
            Files.delete(layers.resolve(layer));
        }
        // mount points a container runtime provides
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("dev"));
        return new ImageRoot(rootfs, image.config.at("/config/User").asText(), image.environment(),
                find("unshare").orElseThrow(), find("chroot").orElseThrow(), find("mount").orElseThrow());
    }

    Path root() {
        return root;
    }

    /** Runs {@code command} (its first element a path inside the image) in the image, at most {@code seconds}. */
    Result run(List<String> command, long seconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of(unshare.toString(), "--mount", "--pid", "--fork",
                "--mount-proc=" + root.resolve("proc"), "/bin/sh", "-c",
                // the new mount namespace is private: the /dev bind mount disappears with the process
                "m=\"$0\"; r=\"$1\"; c=\"$2\"; u=\"$3\"; shift 3; "
                        + "\"$m\" --rbind /dev \"$r/dev\" && exec \"$c\" --userspec=\"$u\" \"$r\" \"$@\"",
                mount.toString(), root.toString(), chroot.toString(), user));
        full.addAll(command);
        return run(full, environment, seconds);
    }

    private static Result run(List<String> command, Map<String, String> environment, long seconds)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("image-run-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(command + " did not finish within " + seconds + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Optional<Path> find(String tool) {
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
