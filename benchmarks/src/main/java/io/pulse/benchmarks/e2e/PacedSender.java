package io.pulse.benchmarks.e2e;

import io.pulse.benchmarks.child.ChildJvm;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * its due time each measured record went out) and reports it with the latencies.
 *
 * <p>Protocol (the parent is {@link E2eRunner#latency}): arguments {@code BOOTSTRAP TOPIC RECORDS_FILE RATE
 * WARMUP_MS}; the file holds the records as written by {@link #writeRecords}. Prints {@code START <epoch ms>} when the
 * first record is due (a record due {@code t} ms later carries the timestamp start + t), then, after the last
 * acknowledgement, {@code DONE <sent> <seconds> <lag p99 µs> <lag max µs>} over the records due after the warm-up.
 */
public final class PacedSender {

    static final String START = "START";
    static final String DONE = "DONE";

    private PacedSender() {
    }

    /** What a finished sender reported. */
    record Outcome(long sent, double seconds, long lagP99Micros, long lagMaxMicros) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: PacedSender BOOTSTRAP TOPIC RECORDS_FILE RATE WARMUP_MS");
            System.exit(2);
        }
        String topic = args[1];
        List<byte[][]> records = readRecords(Path.of(args[2]));
        double rate = Double.parseDouble(args[3]);
        long warmupNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(BenchCluster.producerProperties(args[0], 1),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.partitionsFor(topic); // metadata before the clock starts
            long[] lag = new long[records.size()];
            int lagged = 0;
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
                        lag[lagged++] = (System.nanoTime() - dueAt) / 1_000L;
                    }
                    byte[][] record = records.get(sent);
                    producer.send(new ProducerRecord<>(topic, null, startMillis + (dueAt - started) / 1_000_000L,
                            record[0], record[1]));
                    sent++;
                }
                if (sent < records.size()) {
                    LockSupport.parkNanos(Math.min(Math.max(pacer.dueAt(sent) - System.nanoTime(), 10_000),
                            1_000_000));
                }
            }
            producer.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            Percentiles lags = Percentiles.of(lag, lagged);
            System.out.println(String.format(Locale.ROOT, "%s %d %.3f %d %d", DONE, sent, seconds,
                    lagged > 0 ? lags.percentile(99) : -1, lagged > 0 ? lags.max() : -1));
            System.out.flush();
        }
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
     * Starts a sender JVM (this class path, this JVM's {@code java}) and waits for it: {@code onStart} gets its start
     * time (epoch ms) as soon as it is pacing; the outcome once it has sent everything (the process is then ended).
     *
     * @throws IllegalStateException if it fails, or has not reported within {@code timeout} (then it is ended)
     */
    static Outcome run(String bootstrap, String topic, Path records, double rate, Duration warmup, Duration timeout,
            LongConsumer onStart) {
        // as the benchmarks' other child JVMs: ParentWatchdog ends the sender if the benchmark JVM dies
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(List.of("-Xmx1g", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=pulse-bench-logback.xml"), PacedSender.class.getName(), List.of(bootstrap,
                topic, records.toString(), Double.toString(rate), Long.toString(warmup.toMillis()))))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sender JVM", e);
        }
        // a sender that hangs is ended at the timeout: its output closes and the read below fails with a reason
        Thread watchdog = new Thread(() -> {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-sender-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] parts = line.trim().split(" ");
                if (parts[0].equals(START) && parts.length == 2) {
                    onStart.accept(Long.parseLong(parts[1]));
                } else if (parts[0].equals(DONE) && parts.length == 5) {
                    return new Outcome(Long.parseLong(parts[1]), Double.parseDouble(parts[2]),
                            Long.parseLong(parts[3]), Long.parseLong(parts[4]));
                }
            }
            int exit = process.waitFor();
            throw new IllegalStateException("the sender JVM ended without reporting (exit code " + exit + "; ended"
                    + " after " + timeout.toSeconds() + " s if it hung; its errors are above)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sender JVM's output", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the sender ran", e);
        } finally {
            process.destroyForcibly();
        }
    }
}
