package io.pulse.benchmarks.e2e;

import io.pulse.benchmarks.child.ChildJvm;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The latency benchmark's load generator, in a JVM of its own: open-loop pacing ({@link RatePacer}) of a fixed list
 * of records to one topic, each stamped with the time it was <em>due</em>, not when it went out, so a sender that
 * falls behind cannot hide the wait (coordinated omission). In its own process it is neither paused by the
 * benchmark JVM's garbage collections and safepoints nor queued behind the broker's, the topology's and the reader's
 * threads inside one JVM; it still shares the machine's cores, which is why it measures its own lag (how long after
 * its due time each measured record went out) and its JIT compiler's time, and reports both with the latencies.
 *
 * <p>One sender JVM serves a whole benchmark run ({@link Jvm}), as a long-running application's producer would: a
 * fresh JVM for every row spent the row compiling its send path, its JIT compiler taking more of the two cores than
 * its sending did, inside the measured window (benchmarks/README.md item 37).
 *
 * <p>Protocol: one argument, {@code BOOTSTRAP}; then one request a line on standard input, {@code SEND TOPIC RATE
 * WARMUP_MS RECORDS_FILE}, the file holding the records as written by {@link #writeRecords}. Each is answered
 * with {@code START <epoch ms>} when its first record is due (a record due {@code t} ms later carries the timestamp
 * start + t), then, after the last acknowledgement, {@code DONE <sent> <seconds> <lag p99 µs> <lag max µs>
 * <JIT ms/s>} over the records due after the warm-up. The JVM ends at the end of its input.
 */
public final class PacedSender {

    static final String SEND = "SEND";
    static final String START = "START";
    static final String DONE = "DONE";

    private PacedSender() {
    }

    /**
     * What the sender reported for one request: records sent, seconds from the first due time to the last
     * acknowledgement, its lag (p99 and maximum, µs; -1 if no record was due after the warm-up) and its JIT compiler's
     * milliseconds per second over the measured part (NaN if none).
     */
    record Outcome(long sent, double seconds, long lagP99Micros, long lagMaxMicros, double jitMsPerSecond) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: PacedSender BOOTSTRAP, then one request a line on standard input: " + SEND
                    + " TOPIC RATE WARMUP_MS RECORDS_FILE");
            System.exit(2);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(BenchCluster.producerProperties(args[0], 1),
                new ByteArraySerializer(), new ByteArraySerializer());
             BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = requests.readLine()) != null) {
                String[] request = line.split(" ", 5);
                if (request.length != 5 || !request[0].equals(SEND)) {
                    System.err.println("PacedSender: expected '" + SEND + " TOPIC RATE WARMUP_MS RECORDS_FILE', got '"
                            + line + "'");
                    System.exit(2);
                }
                Outcome outcome = send(producer, request[1], readRecords(Path.of(request[4])),
                        Double.parseDouble(request[2]), TimeUnit.MILLISECONDS.toNanos(Long.parseLong(request[3])));
                System.out.println(String.format(Locale.ROOT, "%s %d %.3f %d %d %.1f", DONE, outcome.sent(),
                        outcome.seconds(), outcome.lagP99Micros(), outcome.lagMaxMicros(), outcome.jitMsPerSecond()));
                System.out.flush();
            }
        }
    }

    /** Paces {@code records} to {@code topic} at {@code rate} a second; prints {@code START} when the first is due. */
    private static Outcome send(KafkaProducer<byte[], byte[]> producer, String topic, List<byte[][]> records,
            double rate, long warmupNanos) {
        producer.partitionsFor(topic); // metadata before the clock starts
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long[] lag = new long[records.size()];
        int lagged = 0;
        long jitAtWindow = -1;
        long windowStarted = 0;
        long startMillis = System.currentTimeMillis();
        long started = System.nanoTime();
        System.out.println(START + " " + startMillis);
        System.out.flush();
        RatePacer pacer = new RatePacer(rate, started);
        long warmupEnd = started + warmupNanos;
        int sent = 0;
        while (sent < records.size()) {
            long due = Math.min(pacer.dueBy(System.nanoTime()), records.size());
            while (sent < due) {
                long dueAt = pacer.dueAt(sent);
                if (dueAt >= warmupEnd) {
                    if (jitAtWindow < 0) {
                        jitAtWindow = jit.getTotalCompilationTime();
                        windowStarted = System.nanoTime();
                    }
                    lag[lagged++] = (System.nanoTime() - dueAt) / 1_000L;
                }
                byte[][] record = records.get(sent);
                producer.send(new ProducerRecord<>(topic, null, startMillis + (dueAt - started) / 1_000_000L,
                        record[0], record[1]));
                sent++;
            }
            if (sent < records.size()) {
                LockSupport.parkNanos(Math.min(Math.max(pacer.dueAt(sent) - System.nanoTime(), 10_000), 1_000_000));
            }
        }
        producer.flush();
        long ended = System.nanoTime();
        Percentiles lags = Percentiles.of(lag, lagged);
        double jitMsPerSecond = jitAtWindow < 0 || ended <= windowStarted ? Double.NaN
                : (jit.getTotalCompilationTime() - jitAtWindow) / ((ended - windowStarted) / 1e9);
        return new Outcome(sent, (ended - started) / 1e9, lagged > 0 ? lags.percentile(99) : -1,
                lagged > 0 ? lags.max() : -1, jitMsPerSecond);
    }

    /** Writes records {@code [0, count)} of {@code keys}/{@code values} to {@code file} for {@link #main}. */
    static void writeRecords(Path file, int count, IntFunction<byte[]> keys, IntFunction<byte[]> values) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                byte[] key = keys.apply(i);
                byte[] value = values.apply(i);
                out.writeInt(key.length);
                out.write(key);
                out.writeInt(value.length);
                out.write(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sender's records to " + file, e);
        }
    }

    static List<byte[][]> readRecords(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int count = in.readInt();
            List<byte[][]> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] key = new byte[in.readInt()];
                in.readFully(key);
                byte[] value = new byte[in.readInt()];
                in.readFully(value);
                records.add(new byte[][] {key, value});
            }
            return records;
        }
    }

    /**
     * One sender JVM for a whole run: started by the first request, so that its JIT warms up once (on the maximum's
     * measurement, before any latency row), and ended by {@link #close}. A request that fails or hangs ends it; the
     * next request starts a new one. Requests run one at a time.
     */
    static final class Jvm implements AutoCloseable {

        private final String bootstrap;
        private Process process;
        private BufferedReader answers;
        private Writer requests;

        Jvm(String bootstrap) {
            this.bootstrap = bootstrap;
        }

        /**
         * Paces {@code records} (a file from {@link #writeRecords}) to {@code topic} at {@code rate} a second, the
         * first {@code warmup} not measured; {@code onStart} gets the start time (epoch ms) as soon as the sender is
         * pacing; returns once it has everything acknowledged.
         *
         * @throws IllegalStateException if the sender fails, or has not answered within {@code timeout} (then it is
         *                               ended)
         */
        Outcome send(String topic, Path records, double rate, Duration warmup, Duration timeout,
                LongConsumer onStart) {
            Process current = started();
            // a sender that hangs is ended at the timeout: its output closes and the read below fails with a reason
            CountDownLatch answered = new CountDownLatch(1);
            Thread watchdog = new Thread(() -> {
                try {
                    if (!answered.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        current.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-sender-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            boolean done = false;
            try {
                // the file last: a temporary directory's path may hold spaces
                requests.write(String.join(" ", SEND, topic, Double.toString(rate), Long.toString(warmup.toMillis()),
                        records.toString()) + "\n");
                requests.flush();
                String line;
                while ((line = answers.readLine()) != null) {
                    String[] parts = line.trim().split(" ");
                    if (parts[0].equals(START) && parts.length == 2) {
                        onStart.accept(Long.parseLong(parts[1]));
                    } else if (parts[0].equals(DONE) && parts.length == 6) {
                        done = true;
                        return new Outcome(Long.parseLong(parts[1]), Double.parseDouble(parts[2]),
                                Long.parseLong(parts[3]), Long.parseLong(parts[4]), Double.parseDouble(parts[5]));
                    }
                }
                int exit = current.waitFor();
                throw new IllegalStateException("the sender JVM ended without reporting (exit code " + exit + "; ended"
                        + " after " + timeout.toSeconds() + " s if it hung; its errors are above)");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot talk to the sender JVM (its errors are above)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the sender ran", e);
            } finally {
                answered.countDown();
                if (!done) {
                    end();
                }
            }
        }

        /** The process id of the sender JVM, -1 if none is running. */
        long pid() {
            return process != null && process.isAlive() ? process.pid() : -1;
        }

        /** Ends the sender JVM: the end of its input first (it closes its producer), forcibly if it does not stop. */
        @Override
        public void close() {
            if (process == null) {
                return;
            }
            try {
                requests.close();
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                // already gone: nothing to tell it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                end();
            }
        }

        private Process started() {
            if (process != null && process.isAlive()) {
                return process;
            }
            end();
            // as the benchmarks' other child JVMs: ParentWatchdog ends the sender if the benchmark JVM dies
            ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(List.of("-Xmx1g", "-XX:+UseSerialGC",
                    "-Dlogback.configurationFile=pulse-bench-logback.xml"), PacedSender.class.getName(),
                    List.of(bootstrap))).redirectError(ProcessBuilder.Redirect.INHERIT);
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the sender JVM", e);
            }
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            return process;
        }

        private void end() {
            if (process != null) {
                process.destroyForcibly();
                process = null;
            }
        }
    }
}
