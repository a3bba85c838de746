package io.pulse.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Records a JFR profile around a piece of work and summarises where the CPU went: Java execution samples by thread
 * group, and for the stream threads by component (the innermost frame outside the JDK decides) and by hot method.
 *
 * <p>JFR's execution sampler sees threads running Java code; time inside native code (RocksDB via JNI, the LZ4 native
 * library) does not appear there. The summary therefore also gives each thread group's CPU time from the JVM's thread
 * counters, so "stream thread CPU minus its Java samples" bounds the native part.
 */
public final class JfrProfile {

    private static final Duration PERIOD = Duration.ofMillis(10);

    /** Component by class-name prefix, first match wins (order matters: specific before general). */
    private static final List<String[]> COMPONENTS = List.of(
            new String[] {"io.pulse.model.", "model: LSTM step, heads, feature encoding"},
            new String[] {"io.pulse.registry.", "Avro serdes (Pulse registry module)"},
            new String[] {"org.apache.avro.", "Avro encode/decode"},
            new String[] {"io.pulse.pipeline.", "Pulse processors, state codec, alerts"},
            new String[] {"io.micrometer.", "metrics (Micrometer)"},
            new String[] {"org.rocksdb.", "RocksDB JNI wrappers (Java side)"},
            new String[] {"org.apache.kafka.streams.state.", "Kafka Streams state stores (metered/changelog/cache)"},
            new String[] {"org.apache.kafka.streams.", "Kafka Streams runtime"},
            new String[] {"org.apache.kafka.clients.producer.", "Kafka producer"},
            new String[] {"org.apache.kafka.clients.consumer.", "Kafka consumer"},
            new String[] {"org.apache.kafka.common.compress.", "compression (LZ4)"},
            new String[] {"net.jpountz.", "compression (LZ4)"},
            new String[] {"org.apache.kafka.common.record.", "record batches, CRC"},
            new String[] {"org.apache.kafka.", "Kafka clients, other"},
            new String[] {"io.pulse.benchmarks.", "benchmark topology code"});

    /**
     * Steps of the per-event path, each a method (simple class name and method name) that holds all of the step's
     * work: its share of the stream thread is the share of samples with that method anywhere on the stack. In the
     * order an event meets them.
     */
    private static final List<String[]> STEPS = List.of(
            new String[] {"PartitionGroup.readyToProcess", "Kafka Streams: is the task ready (per record)"},
            new String[] {"AvroDeserializer.deserialize", "validate: Avro decode of the event (and labels)"},
            new String[] {"EventValidator.validate", "validate: the input rules"},
            new String[] {"ScoreProcessor.loadState", "score: user state read and decoded"},
            new String[] {"ScoreProcessor.isDuplicate", "score: deduplication lookup in scored-events"},
            new String[] {"ModelInputs.encode", "score: feature encoding"},
            new String[] {"LstmModel.step", "score: LSTM step"},
            new String[] {"LstmModel.heads", "score: heads"},
            new String[] {"Predictions.of", "score: the Prediction record built"},
            new String[] {"LiveFeed.onPrediction", "score: the dashboard's live feed"},
            new String[] {"ChangeLoggingWindowBytesStore.put", "score: scored-events put (and its changelog record)"},
            new String[] {"UserStateCodec.encode", "score: user state encoded"},
            new String[] {"CachingKeyValueStore.put", "score: user state put into the record cache"},
            new String[] {"AvroSerializer.serialize", "sinks: Avro encode of predictions and alerts"},
            new String[] {"KafkaProducer.send", "sinks and changelogs: producer send"},
            new String[] {"TaskManager.commit", "commits (cache flush, changelogs, transaction)"});

    /**
     * The entity variants' own steps, in the same form, added to their profiles' step table. The processors forward
     * to the next one inside their own call, so a step includes the steps after it in the user's task: routing
     * includes the broadcast features (or, on the round trip, nothing after the request), and the broadcast features
     * include scoring.
     */
    private static final List<String[]> ENTITY_STEPS = List.of(
            new String[] {"EntityRouteProcessor.process", "entity routing: deduplication, the request sent (and, with"
                    + " broadcast, everything after it in the user's task)"},
            new String[] {"BroadcastFeaturesProcessor.process", "broadcast: entity features from the global store"
                    + " (and scoring after it)"},
            new String[] {"EntityProcessor.process", "the entity's step: its windows read, counted and written"},
            new String[] {"EntityResponseProcessor.process", "round trip: the response back in the user's task"
                    + " (and scoring after it)"},
            new String[] {"CachingKeyValueStore.flushCache", "key-value record caches flushed at commits (their"
                    + " changelog records; with broadcast, the entity snapshots)"});

    private JfrProfile() {
    }

    /** Below this share of the measured rate, a profiled run is said to be of another regime than the measured ones. */
    static final double SAME_REGIME = 0.8;

    /**
     * How a profiled run's rate compares with the same variant's measured runs (without a recording): the words that
     * follow the report's "Profiled run" sentence, empty when nothing was measured to compare with. A profile that ran
     * much slower is of a JVM in another state — still compiling, as every profile was when a JDK 17 started JFR late
     * and threw the compiled code away (benchmarks/README.md item 33) — or of a busier machine, and says so.
     */
    static String againstMeasured(double profiledRate, OptionalDouble measuredRate) {
        if (measuredRate.isEmpty() || !(measuredRate.getAsDouble() > 0)) {
            return "";
        }
        double share = profiledRate / measuredRate.getAsDouble();
        String against = String.format(Locale.ROOT, " The same variant's measured runs, without a recording: %,.0f"
                + " events/s (median), so the profiled run went at %.2f of that", measuredRate.getAsDouble(), share);
        return share < SAME_REGIME
                ? against + String.format(Locale.ROOT, ", below %.1f: it is not a picture of the measured runs (a JVM"
                        + " still compiling, or a busier machine); read its shares with care.", SAME_REGIME)
                : against + ".";
    }

    /** Runs {@code work} under a JFR recording written to {@code file}; returns the work's result. */
    public static <T> T record(Path file, Supplier<T> work) {
        if (!FlightRecorder.isInitialized()) {
            System.err.println("warning: JFR starts only now, so this JDK discards the code its JIT has compiled and"
                    + " the profile is of a JVM recompiling its hot path; start the JVM with"
                    + " -XX:StartFlightRecording=settings=none (./pulse bench does) for a profile of the measured runs");
        }
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(PERIOD);
            recording.enable("jdk.NativeMethodSample").withPeriod(PERIOD);
            recording.setToDisk(true);
            recording.setDestination(file);
            recording.start();
            T result = work.get();
            recording.stop();
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the JFR recording " + file, e);
        }
    }

    /** Thread group of a thread name: what part of this one-JVM setup it belongs to. */
    static String threadGroup(String name) {
        if (name == null) {
            return "other";
        }
        if (name.contains("GlobalStreamThread")) {
            return "pipeline: global (model-weights) thread";
        }
        if (name.contains("StreamThread") && name.contains("producer")) {
            return "pipeline: producer I/O thread";
        }
        if (name.contains("StreamThread")) {
            return "pipeline: stream thread";
        }
        if (name.matches(".*bench-[a-z]-\\d+-.*")) {
            return "pipeline: other client threads";
        }
        if (name.contains("bench-")) {
            return "benchmark reader/feeder";
        }
        if (name.contains("kafka") || name.contains("raft") || name.contains("data-plane") || name.contains("broker")
                || name.contains("controller") || name.contains("Log") || name.contains("ReplicaFetcher")
                || name.contains("group-coordinator") || name.contains("transaction")) {
            return "broker (in-process)";
        }
        return "other";
    }

    /**
     * Summarises a recording.
     *
     * @param cpuByGroup CPU seconds per thread group measured over the same work, or an empty map
     * @param entitySteps whether the step table also has the entity variants' steps
     */
    public static List<String> summarise(Path file, Map<String, Double> cpuByGroup, boolean entitySteps) {
        List<String[]> stepList = new ArrayList<>(STEPS);
        if (entitySteps) {
            stepList.addAll(ENTITY_STEPS);
        }
        Map<String, Long> javaByGroup = new HashMap<>();
        Map<String, Long> nativeByGroup = new HashMap<>();
        Map<String, Long> componentSelf = new HashMap<>();
        Map<String, Long> componentInclusive = new HashMap<>();
        Map<String, Long> hotMethods = new HashMap<>();
        Map<String, Long> nativeMethods = new HashMap<>();
        Map<String, Long> steps = new HashMap<>();
        long streamSamples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                boolean java = type.equals("jdk.ExecutionSample");
                if (!java && !type.equals("jdk.NativeMethodSample")) {
                    continue;
                }
                var thread = event.getThread("sampledThread");
                String group = threadGroup(thread == null ? null : thread.getJavaName());
                (java ? javaByGroup : nativeByGroup).merge(group, 1L, Long::sum);
                if (!group.equals("pipeline: stream thread")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = stack.getFrames();
                if (!java) {
                    nativeMethods.merge(method(frames.get(0)), 1L, Long::sum);
                    continue;
                }
                streamSamples++;
                hotMethods.merge(method(frames.get(0)), 1L, Long::sum);
                componentSelf.merge(component(frames), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                Set<String> onStack = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    String c = componentOf(className(frame));
                    if (c != null && seen.add(c)) {
                        componentInclusive.merge(c, 1L, Long::sum);
                    }
                    onStack.add(method(frame));
                }
                for (String[] step : stepList) {
                    if (onStack.contains(step[0])) {
                        steps.merge(step[0], 1L, Long::sum);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<String> lines = new ArrayList<>();
        lines.add("Thread groups (whole JVM: the in-process broker, the pipeline and the benchmark's reader share"
                + " the 2 cores). CPU from the JVM's per-thread counters; samples are JFR's every "
                + PERIOD.toMillis() + " ms:");
        lines.add("");
        lines.add("| thread group | CPU s | Java samples | native samples |");
        lines.add("|---|---:|---:|---:|");
        Map<String, Long> groups = new LinkedHashMap<>();
        javaByGroup.forEach((g, n) -> groups.merge(g, n, Long::sum));
        cpuByGroup.keySet().forEach(g -> groups.putIfAbsent(g, 0L));
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> lines.add(String.format(Locale.ROOT, "| %s | %s | %d | %d |", e.getKey(),
                        cpuByGroup.containsKey(e.getKey())
                                ? String.format(Locale.ROOT, "%.1f", cpuByGroup.get(e.getKey())) : "-",
                        javaByGroup.getOrDefault(e.getKey(), 0L), nativeByGroup.getOrDefault(e.getKey(), 0L))));
        lines.add("");
        lines.add("Stream threads, Java samples by component (" + streamSamples + " samples). *Self*: the innermost"
                + " non-JDK frame belongs to the component; *inclusive*: the component is anywhere on the stack.");
        lines.add("");
        lines.add("| component | self % | inclusive % |");
        lines.add("|---|---:|---:|");
        final long total = Math.max(streamSamples, 1);
        componentSelf.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> lines.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f |", e.getKey(),
                        100.0 * e.getValue() / total, 100.0 * componentInclusive.getOrDefault(e.getKey(), 0L)
                                / total)));
        lines.add("");
        lines.add("Stream threads, hottest methods (top frame, Java samples):");
        lines.add("");
        lines.add("| method | % |");
        lines.add("|---|---:|");
        hotMethods.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                .forEach(e -> lines.add(String.format(Locale.ROOT, "| `%s` | %.1f |", e.getKey(),
                        100.0 * e.getValue() / total)));
        lines.add("");
        lines.add("Stream threads, the per-event path step by step (share of Java samples with the step's method"
                + " anywhere on the stack, so a step includes what it calls; steps do not add up to 100 %):");
        lines.add("");
        lines.add("| step | method | % |");
        lines.add("|---|---|---:|");
        for (String[] step : stepList) {
            lines.add(String.format(Locale.ROOT, "| %s | `%s` | %.1f |", step[1], step[0],
                    100.0 * steps.getOrDefault(step[0], 0L) / total));
        }
        if (!nativeMethods.isEmpty()) {
            long nativeTotal = nativeMethods.values().stream().mapToLong(Long::longValue).sum();
            lines.add("");
            lines.add("Stream threads, native-method samples (JFR samples one native thread per period, so these are"
                    + " proportions only; waiting in epoll is idle time, the rest is work in native code):");
            lines.add("");
            lines.add("| native method | % |");
            lines.add("|---|---:|");
            nativeMethods.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(8).forEach(e -> lines.add(String.format(Locale.ROOT, "| `%s` | %.1f |", e.getKey(),
                            100.0 * e.getValue() / nativeTotal)));
        }
        return lines;
    }

    private static String component(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String c = componentOf(className(frame));
            if (c != null) {
                return c;
            }
        }
        return "JDK only";
    }

    static String componentOf(String className) {
        for (String[] rule : COMPONENTS) {
            if (className.startsWith(rule[0])) {
                return rule[1];
            }
        }
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                ? null : "other libraries";
    }

    private static String className(RecordedFrame frame) {
        return frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
    }

    private static String method(RecordedFrame frame) {
        if (frame.getMethod() == null) {
            return "?";
        }
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    /** CPU seconds per thread group of every live thread now (call before and after, subtract). */
    public static Map<String, Double> cpuByGroup() {
        var bean = ManagementFactory.getThreadMXBean();
        Map<String, Double> cpu = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long nanos = bean.getThreadCpuTime(t.getId());
            if (nanos > 0) {
                cpu.merge(threadGroup(t.getName()), nanos / 1e9, Double::sum);
            }
        }
        return cpu;
    }
}
