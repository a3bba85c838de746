package io.pulse.trainer.data;

import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.model.BehaviourWindows;
import io.pulse.model.FeatureEncoder;
import io.pulse.model.FeatureSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds every user's {@link UserSequence} from an {@link EventLog} in memory bounded by a bucket of events, not by
 * the history (an external group-by, the way a sort-based shuffle works):
 * <ol>
 *   <li><b>scatter</b>: one pass over the log writes each event, with its arrival index, to one of {@code B} bucket
 *   files by a hash of its user, {@code B} chosen so a bucket holds about {@value #EVENTS_PER_BUCKET} events;</li>
 *   <li><b>sort</b>: per bucket, drop a user's repeated event ids (the first delivery stays, as the pipeline keeps
 *   the first per user) and sort by event time, then arrival, into a sorted run;</li>
 *   <li><b>replay</b> (only with entity types): the runs merged into one time order feed
 *   {@link EntityReplay.Replayer}, whose block per event goes to the event's bucket, in the run's order;</li>
 *   <li><b>encode</b>: per bucket, each user's events (already in order) are encoded and labelled, and written to a
 *   {@link SequenceStore}.</li>
 * </ol>
 * What it holds at once: one bucket's events, the index of users, the fraud labels, and the entities' state.
 */
final class SequenceBuilder {

    static final int EVENTS_PER_BUCKET = 200_000;
    private static final Logger LOG = LoggerFactory.getLogger(SequenceBuilder.class);

    /** What the build found, for {@link TrainingData}. */
    record Built(SequenceStore store, long duplicatesDropped, TrainingData.PeriodSummary[] summaries) {
    }

    private final History history;
    private final int eventsPerBucket;
    private final TimeSplit split;
    private final long horizon;
    private final FeatureSpec spec;
    private final long trainedAtMillis;
    private final Map<String, List<Label>> fraudLabels = new HashMap<>();

    SequenceBuilder(History history, TimeSplit split, long horizonMillis, FeatureSpec spec, long trainedAtMillis) {
        this(history, split, horizonMillis, spec, trainedAtMillis, EVENTS_PER_BUCKET);
    }

    /** With another bucket size (the result does not depend on it; only the memory and the number of files do). */
    SequenceBuilder(History history, TimeSplit split, long horizonMillis, FeatureSpec spec, long trainedAtMillis,
            int eventsPerBucket) {
        this.history = history;
        this.eventsPerBucket = eventsPerBucket;
        this.split = split;
        this.horizon = horizonMillis;
        this.spec = spec;
        this.trainedAtMillis = trainedAtMillis;
        for (Label label : history.labels()) {
            if (label.getKind() == LabelKind.FRAUD && label.getEventId() != null) {
                fraudLabels.computeIfAbsent(label.getEventId(), id -> new ArrayList<>(1)).add(label);
            }
        }
    }

    Built build() {
        int buckets = (int) Math.max(1, Math.min(4096,
                (history.events().size() + eventsPerBucket - 1) / eventsPerBucket));
        SpillDirectory work = SpillDirectory.create("buckets");
        SpillDirectory storeDirectory = SpillDirectory.create("sequences");
        try (work; SequenceStore.Writer store = SequenceStore.writer(storeDirectory, spec.inputSize())) {
            long started = System.nanoTime();
            scatter(work, buckets);
            long duplicates = 0;
            for (int b = 0; b < buckets; b++) {
                duplicates += sortRun(work, b);
            }
            LOG.info("{} events grouped by user into {} sorted bucket(s) in {} ({} repeated event ids dropped)",
                    history.events().size(), buckets, work.path(), duplicates);
            if (spec.hasEntities()) {
                replayEntities(work, buckets);
                LOG.info("entity features replayed in time order ({} s so far)", seconds(started));
            }
            Stats stats = new Stats();
            for (int b = 0; b < buckets; b++) {
                encodeBucket(work, b, store, stats);
            }
            SequenceStore built = store.finish();
            LOG.info("{} users' sequences encoded into {} in {} s", built.sequences().size(), storeDirectory.path(),
                    seconds(started));
            return new Built(built, duplicates, stats.summaries());
        } catch (RuntimeException | Error e) {
            storeDirectory.close();
            throw e;
        }
    }

    private static long seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e9);
    }

    private static Path run(SpillDirectory work, int bucket) {
        return work.file("run-" + bucket);
    }

    private static Path blocks(SpillDirectory work, int bucket) {
        return work.file("blocks-" + bucket);
    }

    private void scatter(SpillDirectory work, int buckets) {
        List<EventRecords.Writer> writers = new ArrayList<>(buckets);
        try {
            for (int b = 0; b < buckets; b++) {
                writers.add(new EventRecords.Writer(run(work, b)));
            }
            long index = 0;
            for (UserEvent event : history.events()) {
                writers.get(Math.floorMod(event.getUserId().hashCode(), buckets)).append(index++, event);
            }
        } finally {
            writers.forEach(EventRecords.Writer::close);
        }
    }

    /** One event of a bucket and its arrival index. */
    private record Indexed(long index, UserEvent event) {
        long time() {
            return event.getEventTime().toEpochMilli();
        }
    }

    private static final Comparator<Indexed> TIME_THEN_ARRIVAL = Comparator.comparingLong(Indexed::time)
            .thenComparingLong(Indexed::index);

    /** Deduplicates and sorts a bucket in place; returns the number of repeated events dropped. */
    private static long sortRun(SpillDirectory work, int bucket) {
        List<Indexed> events = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long duplicates = 0;
        try (EventRecords.Reader reader = new EventRecords.Reader(run(work, bucket))) {
            while (reader.next()) {
                UserEvent event = reader.event();
                // the scatter kept arrival order, so the first delivery of a user's event id comes first
                if (seen.add(event.getUserId() + '\u0000' + event.getEventId())) {
                    events.add(new Indexed(reader.index(), event));
                } else {
                    duplicates++;
                }
            }
        }
        events.sort(TIME_THEN_ARRIVAL);
        try (EventRecords.Writer writer = new EventRecords.Writer(run(work, bucket))) {
            for (Indexed event : events) {
                writer.append(event.index(), event.event());
            }
        }
        return duplicates;
    }

    /** A sorted run being merged: its reader and the bucket its blocks go to. */
    private record Head(int bucket, EventRecords.Reader reader) {
        long time() {
            return reader.event().getEventTime().toEpochMilli();
        }
    }

    private void replayEntities(SpillDirectory work, int buckets) {
        EntityReplay.Replayer replayer = new EntityReplay.Replayer(spec.entities(), history.labels());
        float[] block = new float[replayer.blockSize()];
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong(Head::time)
                .thenComparingLong(h -> h.reader().index()));
        List<EventRecords.Reader> readers = new ArrayList<>();
        List<DataOutputStream> outs = new ArrayList<>();
        try {
            for (int b = 0; b < buckets; b++) {
                EventRecords.Reader reader = new EventRecords.Reader(run(work, b));
                readers.add(reader);
                outs.add(new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(blocks(work, b)),
                        1 << 16)));
                if (reader.next()) {
                    heads.add(new Head(b, reader));
                }
            }
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                replayer.replay(head.reader().event(), block, 0);
                DataOutputStream out = outs.get(head.bucket());
                for (float v : block) {
                    out.writeFloat(v);
                }
                if (head.reader().next()) {
                    heads.add(head);
                }
            }
            for (DataOutputStream out : outs) {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the entity features to " + work.path()
                    + " (is the disk full?)", e);
        } finally {
            readers.forEach(EventRecords.Reader::close);
        }
    }

    private void encodeBucket(SpillDirectory work, int bucket, SequenceStore.Writer store, Stats stats) {
        Map<String, List<UserEvent>> users = new LinkedHashMap<>();
        Map<String, List<float[]>> userBlocks = spec.hasEntities() ? new HashMap<>() : null;
        int blockSize = spec.hasEntities() ? spec.inputSize() - FeatureSpec.v1().inputSize() : 0;
        try (EventRecords.Reader reader = new EventRecords.Reader(run(work, bucket));
             DataInputStream blocks = spec.hasEntities() ? new DataInputStream(new BufferedInputStream(
                     Files.newInputStream(blocks(work, bucket)), 1 << 16)) : null) {
            while (reader.next()) {
                UserEvent event = reader.event();
                users.computeIfAbsent(event.getUserId(), u -> new ArrayList<>()).add(event);
                if (blocks != null) {
                    float[] block = new float[blockSize];
                    for (int f = 0; f < blockSize; f++) {
                        block[f] = blocks.readFloat();
                    }
                    userBlocks.computeIfAbsent(event.getUserId(), u -> new ArrayList<>()).add(block);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the entity features in " + work.path(), e);
        }
        FeatureEncoder encoder = new FeatureEncoder(spec);
        for (Map.Entry<String, List<UserEvent>> user : users.entrySet()) {
            UserSequence sequence = sequence(user.getKey(), user.getValue(),
                    userBlocks == null ? null : userBlocks.get(user.getKey()), encoder);
            stats.add(sequence);
            store.add(sequence);
        }
    }

    private UserSequence sequence(String userId, List<UserEvent> events, List<float[]> blocks,
            FeatureEncoder encoder) {
        int n = events.size();
        String[] ids = new String[n];
        long[] times = new long[n];
        byte[] types = new byte[n];
        float[][] raw = new float[n][encoder.spec().inputSize()];
        byte[] periods = new byte[n];
        byte[] next = new byte[n];
        byte[] churn = new byte[n];
        byte[] fraud = new byte[n];
        String[] items = new String[n];
        String[] categories = new String[n];
        BehaviourWindows windows = BehaviourWindows.empty();
        for (int i = 0; i < n; i++) {
            UserEvent event = events.get(i);
            ids[i] = event.getEventId();
            times[i] = event.getEventTime().toEpochMilli();
            types[i] = (byte) event.getType().ordinal();
            items[i] = event.getItemId();
            categories[i] = event.getCategory();
            // the pipeline's call, argument for argument (ScoreProcessor): absent amount or rating is NaN
            if (blocks == null) {
                encoder.encode(event.getType(), times[i], orNaN(event.getAmount()), orNaN(event.getRating()), windows,
                        raw[i]);
            } else {
                encoder.encode(event.getType(), times[i], orNaN(event.getAmount()), orNaN(event.getRating()), windows,
                        blocks.get(i), 0, raw[i]);
            }
            periods[i] = (byte) split.periodOf(times[i]).ordinal();
        }
        long labelsFrom = split.from().toEpochMilli();
        for (int i = 0; i < n; i++) {
            if (times[i] < labelsFrom) {
                // context before the split: it warms the windows and the state, nothing is learned from it
                next[i] = UserSequence.MASKED;
                churn[i] = UserSequence.MASKED;
                fraud[i] = UserSequence.MASKED;
                continue;
            }
            long known = split.endMillis(Period.values()[periods[i]]);
            boolean hasNext = i + 1 < n;
            next[i] = hasNext && times[i + 1] < known ? types[i + 1] : UserSequence.MASKED;
            if (times[i] + horizon <= known) {
                boolean returned = hasNext && times[i + 1] - times[i] <= horizon;
                churn[i] = (byte) (returned ? 0 : 1);
            } else {
                churn[i] = UserSequence.MASKED;
            }
            // a model trained after its data ends knows the labels that arrived until then
            long fraudKnown = Math.max(known, trainedAtMillis);
            fraud[i] = history.fraudLabelled()
                    ? (byte) (isKnownFraud(fraudLabels.get(ids[i]), userId, fraudKnown) ? 1 : 0)
                    : UserSequence.MASKED;
        }
        return new UserSequence(userId, ids, times, types, raw, periods, next, churn, fraud, items, categories);
    }

    /** A positive FRAUD label of this user's event observed before {@code knownBefore}. */
    private static boolean isKnownFraud(List<Label> labels, String userId, long knownBefore) {
        if (labels == null) {
            return false;
        }
        for (Label label : labels) {
            if (label.getPositive() && label.getObservedAt().toEpochMilli() < knownBefore
                    && userId.equals(label.getUserId())) {
                return true;
            }
        }
        return false;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static double orNaN(Float value) {
        return value == null ? Double.NaN : value;
    }

    /** Per-period counts, gathered as the sequences are written. */
    private static final class Stats {
        final int[] users = new int[Period.values().length];
        final long[][] counts = new long[Period.values().length][6];

        void add(UserSequence s) {
            boolean[] present = new boolean[Period.values().length];
            for (int i = 0; i < s.length(); i++) {
                int p = s.period(i).ordinal();
                present[p] = true;
                long[] c = counts[p];
                c[0]++;
                c[1] += s.nextAction(i) >= 0 ? 1 : 0;
                if (s.churn(i) >= 0) {
                    c[2]++;
                    c[3] += s.churn(i);
                }
                if (s.fraud(i) >= 0) {
                    c[4]++;
                    c[5] += s.fraud(i);
                }
            }
            for (int p = 0; p < present.length; p++) {
                users[p] += present[p] ? 1 : 0;
            }
        }

        TrainingData.PeriodSummary[] summaries() {
            TrainingData.PeriodSummary[] summaries = new TrainingData.PeriodSummary[Period.values().length];
            for (Period period : Period.values()) {
                long[] c = counts[period.ordinal()];
                summaries[period.ordinal()] = new TrainingData.PeriodSummary(period, users[period.ordinal()], c[0],
                        c[1], c[2], c[3], c[4], c[5]);
            }
            return summaries;
        }
    }
}
