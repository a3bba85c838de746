package io.pulse.benchmarks.soak;

import io.pulse.benchmarks.ResultsBlock;
import io.pulse.benchmarks.child.ChildPipeline;
import io.pulse.benchmarks.child.SimulatedFeed;
import io.pulse.benchmarks.e2e.Machine;
import io.pulse.infra.LocalInfra;
import io.pulse.infra.LocalInfraConfig;
import io.pulse.infra.internal.DataDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The soak run of issue #7: the full pipeline (a child JVM running {@code pulse pipeline --set ...}, 512 MiB heap)
 * on the local broker and registry, fed open-loop at half the maximum rate measured just before, for 30 minutes, while
 * its resident memory, heap after GC and consumer lag are sampled every 15 s. Bounded means: lag does not grow (the
 * last third's mean lag is within a few seconds of events of the first third's) and memory levels off (resident size
 * in the last third grows by less than 10 %).
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp "benchmarks/target/classes:$(cat
 * benchmarks/target/classpath.txt)" io.pulse.benchmarks.soak.SoakBenchmark [--minutes 30] [--rate N] [--out FILE]}
 */
public final class SoakBenchmark {

    private static final int PARTITIONS = 4;
    /** The feed: 10,000 simulated users, seed 42. */
    private static final int FEED_USERS = 10_000;
    private static final long FEED_SEED = 42L;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(15);
    private static final Duration MAX_RATE_PROBE = Duration.ofSeconds(60);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "pulse-bench-logback.xml");
        }
        int minutes = 30;
        int rate = 0;
        Path out = Path.of("benchmarks/RESULTS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + "; flags: --minutes M --rate EVENTS_PER_S --out FILE");
            }
        }
        new SoakBenchmark().run(Duration.ofMinutes(minutes), rate, out);
    }

    /** One sample of the run. */
    record Sample(double minutes, long produced, long lag, double rssMiB, double heapMiB, double predictedPerSec) {
    }

    private void run(Duration soak, int fixedRate, Path out) throws Exception {
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverages();
        Path work = Files.createTempDirectory("pulse-soak-");
        try (LocalInfra infra = LocalInfra.start(LocalInfraConfig.forTests().toBuilder()
                .numPartitions(PARTITIONS).build());
             Admin admin = infra.createAdmin()) {
            int max = fixedRate;
            if (max == 0) {
                max = probeMaxRate(infra, admin, work);
                System.out.printf(Locale.ROOT, "# maximum rate: %,d events/s%n", max);
            }
            int rate = fixedRate > 0 ? fixedRate : max / 2;
            ChildPipeline soakRun = ChildPipeline.configure(infra, work, "soak", PARTITIONS, Map.of()).start()
                    .awaitReady(Duration.ofMinutes(3));
            List<Sample> samples = new ArrayList<>();
            SimulatedFeed feed = new SimulatedFeed(infra, soakRun.eventsTopic(), FEED_USERS, FEED_SEED);
            Thread feeder = new Thread(() -> {
                try (feed) {
                    feed.openLoop(rate, soak, new AtomicBoolean());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "feeder");
            long t0 = System.nanoTime();
            feeder.start();
            long lastPredicted = 0;
            long lastSampleNanos = t0;
            while (feeder.isAlive()) {
                feeder.join(SAMPLE_EVERY.toMillis());
                long now = System.nanoTime();
                long predicted = soakRun.predictedTotal();
                double perSec = (predicted - lastPredicted) / ((now - lastSampleNanos) / 1e9);
                lastPredicted = predicted;
                lastSampleNanos = now;
                Sample sample = new Sample((now - t0) / 60e9, feed.produced(), lag(admin, soakRun),
                        soakRun.rssMiB(), soakRun.heapAfterGcMiB(), perSec);
                samples.add(sample);
                System.out.printf(Locale.ROOT, "%6.1f min  produced %,10d  lag %,7d  rss %6.0f MiB  heap %6.0f MiB"
                        + "  predicted %,6.0f/s%n", sample.minutes(), sample.produced(), sample.lag(),
                        sample.rssMiB(), sample.heapMiB(), sample.predictedPerSec());
            }
            soakRun.stop(Duration.ofMinutes(1));
            String block = report(started, soak, max, rate, fixedRate > 0, samples, loadBefore);
            ResultsBlock.named("soak").write(out, block);
            System.out.println(block);
        } finally {
            DataDirs.deleteRecursively(work);
        }
    }

    /** Floods a fresh pipeline for a minute from a backlog; the steady rate of its last 30 s is the maximum. */
    private int probeMaxRate(LocalInfra infra, Admin admin, Path work) throws Exception {
        ChildPipeline probe = ChildPipeline.configure(infra, work, "probe", PARTITIONS, Map.of()).start()
                .awaitReady(Duration.ofMinutes(3));
        // a backlog it cannot finish in a minute: the pipeline runs flat out
        try (SimulatedFeed feed = new SimulatedFeed(infra, probe.eventsTopic(), FEED_USERS, FEED_SEED)) {
            feed.backlog(400_000);
        }
        long t0 = System.nanoTime();
        long firstHalf = 0;
        while (System.nanoTime() - t0 < MAX_RATE_PROBE.toNanos()) {
            Thread.sleep(1_000); // sampling a running process at a fixed period
            if (firstHalf == 0 && System.nanoTime() - t0 >= MAX_RATE_PROBE.toNanos() / 2) {
                firstHalf = probe.predictedTotal();
            }
        }
        long total = probe.predictedTotal();
        probe.stop(Duration.ofMinutes(1));
        return (int) ((total - firstHalf) / (MAX_RATE_PROBE.toSeconds() / 2.0));
    }

    /** Input records not yet consumed by the pipeline's group: end offsets minus committed offsets. */
    private static long lag(Admin admin, ChildPipeline run) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(run.applicationId())
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(run.eventsTopic(), p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (var entry : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(entry.getKey());
            lag += entry.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    static String report(Instant started, Duration soak, int max, int rate, boolean fixedRate, List<Sample> samples,
            String loadBefore) {
        StringBuilder md = new StringBuilder();
        md.append("## Soak run (issue #7)\n\n");
        md.append("- Date: ").append(UTC.format(started)).append("; ").append(soak.toMinutes())
                .append(" minutes at ").append(String.format(Locale.ROOT, "%,d", rate)).append(" events/s")
                .append(fixedRate ? " (fixed with --rate)" : String.format(Locale.ROOT,
                        ", half the %,d events/s the same pipeline reached on a backlog just before", max))
                .append(".\n");
        md.append("- Command: `java --add-modules jdk.incubator.vector -cp \"benchmarks/target/classes:$(cat"
                + " benchmarks/target/classpath.txt)\" io.pulse.benchmarks.soak.SoakBenchmark --minutes ")
                .append(soak.toMinutes()).append("`\n");
        md.append("- Set-up: the full pipeline in its own JVM (`-Xmx512m`, exactly_once_v2, 4 partitions), the"
                + " in-process broker and the registry in the benchmark's JVM, 10k simulated users; events sent open"
                + " loop (on schedule, whatever the pipeline does).\n");
        md.append("- Machine: ").append(String.join("; ", Machine.describe())).append("; load before ")
                .append(loadBefore).append(", after ").append(Machine.loadAverages()).append(".\n\n");
        md.append("| minute | produced | consumer lag (events) | RSS MiB | live heap after GC MiB | predicted/s |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        int every = Math.max(1, samples.size() / 30);
        for (int i = 0; i < samples.size(); i++) {
            if (i % every != 0 && i != samples.size() - 1) {
                continue;
            }
            Sample s = samples.get(i);
            md.append(String.format(Locale.ROOT, "| %.1f | %,d | %,d | %.0f | %.0f | %,.0f |%n", s.minutes(),
                    s.produced(), s.lag(), s.rssMiB(), s.heapMiB(), s.predictedPerSec()));
        }
        md.append('\n').append(verdict(samples, rate)).append('\n');
        return md.toString();
    }

    /** Bounded lag and memory, judged on the first and last thirds of the samples. */
    static String verdict(List<Sample> samples, int rate) {
        if (samples.size() < 6) {
            return "Too few samples for a verdict.";
        }
        int third = samples.size() / 3;
        List<Sample> first = samples.subList(0, third);
        List<Sample> last = samples.subList(samples.size() - third, samples.size());
        double lagFirst = first.stream().mapToLong(Sample::lag).average().orElse(0);
        double lagLast = last.stream().mapToLong(Sample::lag).average().orElse(0);
        long lagMax = samples.stream().mapToLong(Sample::lag).max().orElse(0);
        double rssStart = last.get(0).rssMiB();
        double rssEnd = last.get(last.size() - 1).rssMiB();
        double rssMax = samples.stream().mapToDouble(Sample::rssMiB).max().orElse(0);
        double heapMax = samples.stream().mapToDouble(Sample::heapMiB).max().orElse(0);
        boolean lagBounded = lagLast <= lagFirst + 5.0 * rate;
        boolean rssBounded = rssEnd <= rssStart * 1.10;
        return String.format(Locale.ROOT, "Consumer lag: mean %,.0f events in the first third, %,.0f in the last,"
                        + " at most %,d (%.1f s of input) — %s. Resident memory: at most %.0f MiB; %.0f → %.0f MiB"
                        + " over the last third (%+.1f %%) — %s. Live heap after GC at most %.0f MiB of 512.",
                lagFirst, lagLast, lagMax, (double) lagMax / rate, lagBounded ? "bounded" : "GROWING",
                rssMax, rssStart, rssEnd, 100.0 * (rssEnd - rssStart) / rssStart,
                rssBounded ? "levelled off" : "STILL GROWING", heapMax);
    }

}
