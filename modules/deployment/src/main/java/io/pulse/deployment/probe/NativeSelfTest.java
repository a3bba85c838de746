package io.pulse.deployment.probe;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Proves that the native code Pulse loads at run time works in the image it runs in, one line per check:
 * RocksDB (the pipeline's state stores) in the state directory, Kafka's zstd/lz4/snappy/gzip codecs (a consumer must
 * decompress whatever producers chose), AWT drawing text into a PNG (the trainer's report plots need fontconfig,
 * freetype and a font), and with {@code --nd4j} Deeplearning4j's ND4J backend (OpenBLAS, OpenMP; unpacks about
 * 400 MB into the JavaCPP cache, so opt-in).
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp '/app/classes:/app/libs/*'
 * io.pulse.deployment.probe.NativeSelfTest [--state-dir DIR] [--nd4j]}; exits 0 when every check passed.
 */
public final class NativeSelfTest {

    private static final byte KAFKA_RECORD_BATCH_V2 = 2;

    private final PrintStream out;

    NativeSelfTest(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new NativeSelfTest(System.out).run(args));
    }

    /** Runs the checks; the exit code: 0 all passed, 1 some failed, 2 bad arguments. */
    int run(String... args) {
        Path stateDir = Path.of(System.getenv().getOrDefault("PULSE_STATE_DIR", System.getProperty("java.io.tmpdir")));
        boolean nd4j = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nd4j" -> nd4j = true;
                case "--state-dir" -> {
                    if (i + 1 == args.length) {
                        out.println("usage: NativeSelfTest [--state-dir DIR] [--nd4j]");
                        return 2;
                    }
                    stateDir = Path.of(args[++i]);
                }
                default -> {
                    out.println("usage: NativeSelfTest [--state-dir DIR] [--nd4j]");
                    return 2;
                }
            }
        }
        List<String> failed = new ArrayList<>();
        check("rocksdb", failed, rocksDb(stateDir));
        for (String codec : List.of("zstd", "lz4", "snappy", "gzip")) {
            check("kafka-" + codec, failed, () -> compressionRoundTrip(codec));
        }
        check("fonts", failed, NativeSelfTest::drawText);
        if (nd4j) {
            check("nd4j", failed, NativeSelfTest::multiplyMatrices);
        }
        out.println(failed.isEmpty() ? "all checks passed" : "failed: " + String.join(", ", failed));
        return failed.isEmpty() ? 0 : 1;
    }

    /** One check: what it proved, or why it failed. */
    @FunctionalInterface
    interface Check {
        String run() throws Exception;
    }

    private void check(String name, List<String> failed, Check check) {
        try {
            out.println("ok   " + name + ": " + check.run());
        } catch (Exception | LinkageError e) {
            // LinkageError: an UnsatisfiedLinkError is exactly what a missing shared library looks like
            failed.add(name);
            out.println("FAIL " + name + ": " + e);
        }
    }

    private static Check rocksDb(Path stateDir) {
        return () -> {
            Files.createDirectories(stateDir);
            Path dir = Files.createTempDirectory(stateDir, ".selftest-rocksdb-");
            try {
                RocksDB.loadLibrary();
                byte[] key = "user-1".getBytes(StandardCharsets.UTF_8);
                byte[] value = "state".getBytes(StandardCharsets.UTF_8);
                try (Options options = new Options().setCreateIfMissing(true);
                        FlushOptions flush = new FlushOptions().setWaitForFlush(true);
                        RocksDB db = RocksDB.open(options, dir.toString())) {
                    db.put(key, value);
                    db.flush(flush);
                    if (!Arrays.equals(db.get(key), value)) {
                        throw new IllegalStateException("read back a different value");
                    }
                }
                return "wrote, flushed and read back a key under " + stateDir;
            } catch (RocksDBException e) {
                throw new IllegalStateException("RocksDB in " + dir + ": " + e.getMessage(), e);
            } finally {
                deleteRecursively(dir);
            }
        };
    }

    private static String compressionRoundTrip(String codec) throws IOException {
        byte[] input = "pulse ".repeat(2_000).getBytes(StandardCharsets.UTF_8);
        Compression compression = Compression.of(codec).build();
        ByteBufferOutputStream buffer = new ByteBufferOutputStream(1024);
        try (OutputStream compressing = compression.wrapForOutput(buffer, KAFKA_RECORD_BATCH_V2)) {
            compressing.write(input);
        }
        ByteBuffer compressed = buffer.buffer().flip();
        int size = compressed.remaining();
        byte[] output;
        try (InputStream decompressing = compression.wrapForInput(compressed, KAFKA_RECORD_BATCH_V2,
                BufferSupplier.create())) {
            output = decompressing.readAllBytes();
        }
        if (!Arrays.equals(input, output)) {
            throw new IllegalStateException("the round trip changed the bytes");
        }
        return input.length + " bytes -> " + size + " -> " + output.length;
    }

    private static String drawText() throws IOException {
        String[] families = GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames();
        BufferedImage image = new BufferedImage(200, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
            g.drawString("pulse 0.97", 5, 28);
        } finally {
            g.dispose();
        }
        long lit = Arrays.stream(image.getRGB(0, 0, 200, 40, null, 0, 200)).filter(rgb -> (rgb & 0xffffff) != 0)
                .count();
        if (lit == 0) {
            throw new IllegalStateException("drawing text changed no pixel");
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", png)) {
            throw new IllegalStateException("no PNG writer");
        }
        return families.length + " font families, text drawn (" + lit + " pixels), PNG of " + png.size() + " bytes";
    }

    private static String multiplyMatrices() {
        INDArray a = Nd4j.create(new double[][] {{1, 2}, {3, 4}});
        INDArray product = a.mmul(a);
        double[] expected = {7, 10, 15, 22};
        double[] actual = product.ravel().toDoubleVector();
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalStateException("[[1,2],[3,4]]^2 gave " + Arrays.toString(actual));
        }
        return "[[1,2],[3,4]]^2 = " + Arrays.toString(actual) + " on " + Nd4j.getBackend().getClass().getSimpleName();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
