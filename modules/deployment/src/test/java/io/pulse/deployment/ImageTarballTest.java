package io.pulse.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.pulse.deployment.ImageTarball.Entry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tarball Jib wrote in {@code package} ({@code target/jib-image.tar}): its metadata, its files, and, where
 * this machine allows (root, util-linux), the image run for real: unpacked, {@code chroot}ed, as its own user with
 * only its own environment, the way a container runtime would start it.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageTarballTest {

    private static final String STATE_VOLUME = "/var/lib/pulse";

    @TempDir
    static Path scratch;

    private static Path tarball;
    private static ImageTarball image;
    private static ImageRoot unpacked;

    @BeforeEach
    void readTarball() {
        // per test, so that each one is reported as skipped, with the reason
        assumeTrue(!Boolean.getBoolean("pulse.image.skip"),
                "the image was not built (-Dpulse.image.skip=true), so there is no tarball to check");
        if (image == null) {
            tarball = Path.of(System.getProperty("pulse.image.tar", "target/jib-image.tar"));
            assertThat(tarball).as("the image tarball, built by `package`").isRegularFile();
            // Pulse's own jars are listed entry by entry: the code Pulse controls must hold no test or benchmark class
            image = ImageTarball.read(tarball, Set.of("etc/passwd", "etc/group"),
                    path -> path.startsWith("app/libs/pulse-"));
        }
    }

    @Test
    @Order(1)
    void shouldBeTaggedWithTheImageNameDeploymentsUse() {
        assertThat(image.manifest.get("RepoTags").get(0).asText()).isEqualTo(RepositoryFiles.imageName());
        assertThat(image.config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(image.config.get("os").asText()).isEqualTo("linux");
    }

    @Test
    @Order(2)
    void shouldStartPulseWithTheVectorModuleAndRunThePipelineByDefault() {
        List<String> entrypoint = image.entrypoint();

        assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint).containsSubsequence("--add-modules", "jdk.incubator.vector");
        assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo("io.pulse.cli.Pulse");
        assertThat(image.cmd()).containsExactly("pipeline");
        // every class path element exists in the image
        String classPath = entrypoint.get(entrypoint.indexOf("-cp") + 1);
        for (String element : classPath.split(":")) {
            String dir = element.endsWith("/*") ? element.substring(0, element.length() - 2) : element;
            assertThat(image.entries).as(element).containsKey(dir.substring(1));
        }
    }

    @Test
    @Order(3)
    void shouldRunAsANumericUserThatIsNotRoot() {
        String user = image.config.at("/config/User").asText();

        assertThat(user).matches("\\d+:\\d+");
        String uid = user.split(":")[0];
        assertThat(uid).isNotEqualTo("0").isEqualTo(System.getProperty("pulse.image.uid"));
        // tools that look the user up (Java's user.home, whoami) find it
        assertThat(image.texts.get("etc/passwd")).contains("pulse:x:" + user + ":");
        assertThat(image.texts.get("etc/group")).contains("pulse:x:" + user.split(":")[1] + ":");
    }

    @Test
    @Order(4)
    void shouldDeclareTheStateVolumeTheHttpPortAndTheMemorySetting() {
        Map<String, String> env = image.environment();

        assertThat(image.config.at("/config/Volumes").has(STATE_VOLUME)).isTrue();
        assertThat(image.config.at("/config/ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(image.config.at("/config/WorkingDir").asText()).isEqualTo(STATE_VOLUME);
        assertThat(env.get("PULSE_STATE_DIR")).startsWith(STATE_VOLUME + "/");
        assertThat(env).containsEntry("PULSE_HTTP_HOST", "0.0.0.0").containsEntry("LANG", "C.UTF-8");
        assertThat(MemoryBudget.maxRamPercentage(env.get("JDK_JAVA_OPTIONS"))).isBetween(25.0, 80.0);
        assertThat(env.get("JDK_JAVA_OPTIONS")).contains("-XX:+ExitOnOutOfMemoryError");
        // Jib writes every file as root; the directories the user writes to are open to it
        assertThat(image.entries.get(STATE_VOLUME.substring(1)).mode()).isEqualTo(0777);
        assertThat(image.entries.get("tmp").mode()).isEqualTo(0777);
    }

    @Test
    @Order(5)
    void shouldShipAJavaRuntimeItsLibrariesAndPulsesJars() {
        assertThat(image.entries.get("opt/java/bin/java")).satisfies(java -> assertThat(java.executable()).isTrue());
        assertThat(image.entries.get("lib64/ld-linux-x86-64.so.2")).satisfies(
                loader -> assertThat(loader.executable()).isTrue());
        assertThat(image.entries).containsKeys("opt/java/lib/server/libjvm.so", "opt/java/lib/server/classes.jsa",
                "opt/java/lib/security/cacerts", "lib/x86_64-linux-gnu/libc.so.6",
                "lib/x86_64-linux-gnu/libstdc++.so.6", "lib/x86_64-linux-gnu/libz.so.1",
                "lib/x86_64-linux-gnu/libfontconfig.so.1", "usr/share/fonts/dejavu/DejaVuSans.ttf",
                "usr/lib/locale/C.utf8/LC_CTYPE", "etc/fonts/fonts.conf",
                "app/classes/io/pulse/deployment/probe/HttpProbe.class");
        List<String> jars = image.under("app/libs").stream().map(Entry::path)
                .map(path -> path.substring("app/libs/".length())).toList();
        // pulse-cli.jar when built in the same reactor (its finalName), pulse-cli-VERSION.jar from a repository
        assertThat(jars).anyMatch(jar -> jar.matches("pulse-cli(-.+)?\\.jar"))
                .anyMatch(jar -> jar.startsWith("pulse-pipeline-"))
                .anyMatch(jar -> jar.startsWith("pulse-trainer-"))
                .anyMatch(jar -> jar.startsWith("kafka-streams-"))
                .anyMatch(jar -> jar.startsWith("rocksdbjni-"))
                .anyMatch(jar -> jar.matches("nd4j-native-.*-linux-x86_64\\.jar"));
        // the jlink'd runtime left out what a headless container never loads (and its X11 dependencies)
        assertThat(image.entries).doesNotContainKeys("opt/java/lib/libawt_xawt.so",
                "lib/x86_64-linux-gnu/libX11.so.6");
    }

    @Test
    @Order(6)
    void shouldPrintPulsesHelpWhenRunAsItsUserInsideTheImage() throws Exception {
        ImageRoot root = unpacked();
        List<String> help = new ArrayList<>(image.entrypoint());
        help.add("--help");

        ImageRoot.Result java = root.run(List.of("/opt/java/bin/java", "-version"), 60);
        ImageRoot.Result pulse = root.run(help, 60);
        ImageRoot.Result pipeline = root.run(withArgs(image.entrypoint(), "pipeline", "--help"), 60);

        assertThat(java.exitCode()).as(java.output()).isZero();
        assertThat(java.output()).contains("version \"" + Runtime.version().feature());
        assertThat(pulse.exitCode()).as(pulse.output()).isZero();
        assertThat(pulse.output()).contains("pipeline", "train", "simulate");
        assertThat(pipeline.exitCode()).as(pipeline.output()).isZero();
        assertThat(pipeline.output()).contains("--bootstrap-servers", "--state-dir");
    }

    @Test
    @Order(7)
    void shouldLoadEveryNativeLibraryPulseUsesInsideTheImage() throws Exception {
        ImageRoot root = unpacked();

        // RocksDB in the state directory, Kafka's codecs, AWT text into a PNG, ND4J (OpenBLAS, OpenMP)
        ImageRoot.Result selfTest = root.run(List.of("/opt/java/bin/java", "--add-modules", "jdk.incubator.vector",
                "-cp", "/app/classes:/app/libs/*", "io.pulse.deployment.probe.NativeSelfTest", "--nd4j"), 120);

        assertThat(selfTest.exitCode()).as(selfTest.output()).isZero();
        assertThat(selfTest.output()).contains("ok   rocksdb", "ok   kafka-zstd", "ok   kafka-lz4", "ok   kafka-snappy",
                "ok   fonts", "ok   nd4j", "all checks passed");
        // as the image's user, in the image's state directory
        assertThat(selfTest.output()).contains("under " + image.environment().get("PULSE_STATE_DIR"));
        Path stateDir = root.root().resolve(image.environment().get("PULSE_STATE_DIR").substring(1));
        assertThat(Files.getAttribute(stateDir, "unix:uid").toString())
                .isEqualTo(image.config.at("/config/User").asText().split(":")[0]);
    }

    @Test
    @Order(8)
    void shouldPassTheComposeHealthCheckExactlyWhenThePipelineIsReady() throws Exception {
        ImageRoot root = unpacked();
        Map<String, Object> pipeline = ComposeFile.load().pipelineServices().values().iterator().next();
        List<String> check = Tree.list(Tree.map(pipeline, "healthcheck"), "test").stream().map(Object::toString)
                .toList();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ready", exchange -> answer(exchange, 200));
        server.createContext("/restoring", exchange -> answer(exchange, 503));
        server.start();
        try {
            // the image shares this machine's network here, as in a pod: the probe reaches the test's server
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<String> command = new ArrayList<>(check.subList(1, check.size() - 1));

            ImageRoot.Result ready = root.run(withArgs(command, base + "/ready"), 60);
            ImageRoot.Result restoring = root.run(withArgs(command, base + "/restoring"), 60);

            assertThat(ready.exitCode()).as(ready.output()).isZero();
            assertThat(restoring.exitCode()).as(restoring.output()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    @Order(9)
    void shouldHoldNoBenchmarkJmhTestUtilsOrTestDoubleClasses() {
        List<String> jars = image.under("app/libs").stream().map(Entry::path)
                .map(path -> path.substring("app/libs/".length())).toList();
        List<String> ownClasses = image.under("app/classes").stream().map(Entry::path)
                .map(path -> path.substring("app/classes/".length())).toList();
        List<String> inOwnJars = image.jarEntries.entrySet().stream()
                .flatMap(jar -> jar.getValue().stream().map(entry -> jar.getKey() + "!" + entry)).toList();

        // what was read is the real thing: the launcher's jars, Pulse's own jars listed entry by entry
        assertThat(jars).anyMatch(jar -> jar.matches("pulse-cli(-.+)?\\.jar"))
                .anyMatch(jar -> jar.startsWith("pulse-dashboard-"));
        assertThat(image.jarEntries.keySet()).anyMatch(jar -> jar.startsWith("app/libs/pulse-pipeline-"));
        assertThat(inOwnJars).anyMatch(entry -> entry.endsWith("!io/pulse/dashboard/DashboardAssets.class"));
        assertThat(ShippedCode.forbiddenJars(jars)).as("test-, benchmark- or tool-only jars in /app/libs").isEmpty();
        assertThat(ShippedCode.forbiddenEntries(ownClasses)).as("test or benchmark classes in /app/classes")
                .isEmpty();
        assertThat(ShippedCode.forbiddenEntries(inOwnJars)).as("test or benchmark classes in Pulse's jars").isEmpty();
    }

    @Test
    @Order(10)
    void shouldSendTheUserToASourceCheckoutForBenchmarksAndEvaluationsInsideTheImage() throws Exception {
        ImageRoot root = unpacked();

        ImageRoot.Result bench = root.run(withArgs(image.entrypoint(), "bench", "--quick"), 60);
        ImageRoot.Result evaluate = root.run(withArgs(image.entrypoint(), "evaluate", "fraud-handbook"), 60);

        assertThat(bench.exitCode()).as(bench.output()).isEqualTo(1);
        assertThat(bench.output()).contains("the benchmarks are not part of this installation",
                "run ./pulse bench from a source checkout of Pulse");
        assertThat(evaluate.exitCode()).as(evaluate.output()).isEqualTo(1);
        assertThat(evaluate.output()).contains("the evaluations are not part of this installation",
                "run ./pulse evaluate from a source checkout of Pulse");
    }

    private static synchronized ImageRoot unpacked() throws Exception {
        Optional<String> why = ImageRoot.whyNotRunnable();
        assumeTrue(why.isEmpty(), () -> "not running the image: " + why.orElse(""));
        if (unpacked == null) {
            unpacked = ImageRoot.unpack(tarball, image, scratch.resolve("rootfs"));
        }
        return unpacked;
    }

    private static List<String> withArgs(List<String> command, String... args) {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(args));
        return full;
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
