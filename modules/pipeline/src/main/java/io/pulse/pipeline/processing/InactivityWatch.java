package io.pulse.pipeline.processing;

import io.pulse.contracts.Alert;
import io.pulse.model.Horizon;
import io.pulse.pipeline.alerts.AlertFactory;
import io.pulse.pipeline.alerts.AlertSettings;
import io.pulse.pipeline.state.InactivityIndex;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.state.UserStateCodec;
import io.pulse.pipeline.telemetry.Telemetry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Churn is mostly the absence of events: this watch raises churn alerts for users whose silence has become alarming.
 * It is the scoring processor's, per task, and keeps three things: the {@code inactivity-index} (at most one entry
 * per user, keyed by the time the user's silence is next checked, see {@link InactivityIndex}), a wall-clock
 * punctuator that reads only the due entries of that index, and the task's {@link EventClock}, against which the
 * checks are due.
 *
 * <p>The clock is saved in the {@code inactivity-index} store itself, under {@link InactivityIndex#clockKey()}: the
 * index's due times mean nothing without it, both change together when the punctuator runs, and the entry goes to
 * the same changelog, so a restored task resumes both at once. It is not user data: erasure deletes a user's one
 * check and never the clock. Versions before this class saved the clock under {@link #LEGACY_CLOCK_KEY} in
 * {@code user-state}; such a saved clock is still read, and moved here at the first save.
 */
final class InactivityWatch {

    /**
     * Where the clock was saved before: a reserved key of the {@code user-state} store (user ids cannot contain
     * control characters). Read when an upgraded instance restores old state; deleted when the clock is next saved.
     */
    static final String LEGACY_CLOCK_KEY = "\u0000pulse.event-clock";

    private final ScoringSettings settings;
    private final ModelHolder models;
    private final Telemetry telemetry;
    private final AlertFactory alerts;
    private final EventClock clock = new EventClock();

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> users;
    private KeyValueStore<Bytes, byte[]> index;
    private UserStateCodec codec;
    private long savedClockMax = EventClock.UNKNOWN;
    private boolean legacyClockSaved;

    InactivityWatch(ScoringSettings settings, ModelHolder models, Telemetry telemetry) {
        this.settings = settings;
        this.models = models;
        this.telemetry = telemetry;
        this.alerts = new AlertFactory(settings.alerts());
    }

    /** Restores the task clock and starts the punctuator; {@code users} is the scoring processor's user-state store. */
    void init(ProcessorContext<String, SpecificRecord> context, KeyValueStore<String, byte[]> users,
            UserStateCodec codec) {
        this.context = context;
        this.users = users;
        this.codec = codec;
        this.index = context.getStateStore(StateStores.INACTIVITY_INDEX);
        restoreClock();
        // Wall-clock time: silence produces no records, so stream time would stand still exactly when it matters.
        context.schedule(settings.inactivityCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkInactivity);
    }

    /** Advances the task clock with an event's time (every event, duplicates included). */
    void observe(long eventTimeMillis) {
        clock.observe(eventTimeMillis, context.currentSystemTimeMs());
    }

    /**
     * A new silence of the user starts with the event just scored (a newer one than any before: a late event does not
     * end the current silence). Updates {@code state}; the caller saves it.
     */
    void silenceStarts(String userId, UserState state) {
        scheduleInactivityCheck(userId, state);
        state.setAlertedThisSilence(false);
    }

    /**
     * Moves the user's next inactivity check to the end of the silence that starts now. The index entry is rewritten
     * only when the check moves earlier (or there is none): when it merely moves later, as it does on almost every
     * event, the existing entry fires first and the punctuator moves it on ({@link #checkSilence}).
     */
    private void scheduleInactivityCheck(String userId, UserState state) {
        if (!settings.alerts().churnAlertsEnabled()) {
            state.setInactivityDueAtMillis(0);
            return;
        }
        state.setInactivityDueAtMillis(settings.alerts().firstInactivityCheck(state.windows().lastSeenMillis(),
                settings.alerts().rhythmMillis(state.windows())));
        long indexedAt = state.inactivityIndexedAtMillis();
        if (indexedAt > 0 && indexedAt <= state.inactivityDueAtMillis()) {
            return;
        }
        if (indexedAt > 0) {
            unindex(InactivityIndex.key(indexedAt, userId));
        }
        index(userId, state, state.inactivityDueAtMillis());
    }

    /**
     * Deletes an index entry. A put of null, which key-value stores take as a delete (their {@code put} contract),
     * rather than {@code delete}, which reads the old value first to return it: a record-cache lookup and, as the
     * entry is rarely cached, a RocksDB read per deletion (benchmarks/README.md, item 21).
     */
    private void unindex(Bytes key) {
        index.put(key, null);
    }

    private void index(String userId, UserState state, long at) {
        index.put(InactivityIndex.key(at, userId), new byte[0]);
        state.setInactivityIndexedAtMillis(at);
    }

    /** The punctuation: handles due inactivity checks, oldest first, at most a configured number per call. */
    private void checkInactivity(long wallMillis) {
        if (!clock.isKnown()) {
            return; // no event yet on this task since the beginning of time: nothing can be silent
        }
        long now = clock.now(wallMillis);
        saveClock();
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> iterator =
                     index.range(InactivityIndex.from(), InactivityIndex.upTo(now))) {
            while (iterator.hasNext() && due.size() < settings.maxChecksPerPunctuation()) {
                due.add(iterator.next());
            }
        }
        for (KeyValue<Bytes, byte[]> entry : due) {
            unindex(entry.key);
            checkSilence(InactivityIndex.userId(entry.key), InactivityIndex.dueAt(entry.key), now);
        }
    }

    private void checkSilence(String userId, long dueAt, long now) {
        byte[] stored = users.get(userId);
        if (stored == null) {
            return;
        }
        UserState state = codec.decode(stored);
        if (state.inactivityIndexedAtMillis() != dueAt) {
            return; // not this user's current entry (defensive: entries are deleted when they move)
        }
        state.setInactivityIndexedAtMillis(0); // the caller deleted the entry
        if (state.inactivityDueAtMillis() == 0 || state.inactivityDueAtMillis() > now) {
            // nothing to check any more, or the user was active since the entry was written: move it on
            if (state.inactivityDueAtMillis() > 0) {
                index(userId, state, state.inactivityDueAtMillis());
            }
            users.put(userId, codec.encode(state));
            return;
        }
        telemetry.inactivityChecked();
        AlertSettings alertSettings = settings.alerts();
        long lastSeen = state.windows().lastSeenMillis();
        long silence = now - lastSeen;
        double rhythm = alertSettings.rhythmMillis(state.windows());
        double score = alertSettings.inactivityScore(state.lastChurn(), silence, rhythm);
        if (alertSettings.churnAlertsEnabled() && score >= alertSettings.churnThreshold() && !state.alertedThisSilence()
                && AlertSettings.cooledDown(state.lastChurnAlertMillis(), alertSettings.churnCooldownMillis(), now)) {
            raiseInactivityAlert(userId, state, score, rhythm, now);
            state.setInactivityDueAtMillis(0);
        } else if (!state.alertedThisSilence() && silence < alertSettings.giveUpAfterMillis(rhythm)) {
            long next = now + Math.max(alertSettings.minSilenceMillis(), (long) rhythm);
            state.setInactivityDueAtMillis(next);
            index(userId, state, state.inactivityDueAtMillis());
        } else {
            state.setInactivityDueAtMillis(0); // gone for good, or already alerted for this silence
        }
        users.put(userId, codec.encode(state));
    }

    private void raiseInactivityAlert(String userId, UserState state, double score, double rhythm, long now) {
        long lastSeen = state.windows().lastSeenMillis();
        Alert alert = alerts.inactivity(new AlertFactory.Silence(userId, score, now, lastSeen, rhythm,
                state.lastChurn(), state.windows().countAll(Horizon.MONTH, lastSeen), models.current().version()));
        context.forward(new Record<>(userId, alert, now));
        telemetry.alertRaised(alert);
        state.setAlertedThisSilence(true);
        state.setLastChurnAlertMillis(now);
    }

    private void restoreClock() {
        // the wall clock does not advance the event clock across downtime: a backlog may still be unread
        restoreClock(index.get(InactivityIndex.clockKey()));
        byte[] legacy = users.get(LEGACY_CLOCK_KEY);
        if (legacy != null) {
            // written by an earlier version (or by one that ran after this one was rolled back): the later clock wins
            restoreClock(legacy);
            legacyClockSaved = true;
        }
    }

    private void restoreClock(byte[] saved) {
        if (saved != null && saved.length == 2 * Long.BYTES) {
            clock.restore(ByteBuffer.wrap(saved).getLong(), context.currentSystemTimeMs());
        }
    }

    private void saveClock() {
        if (clock.maxEventTime() == savedClockMax && !legacyClockSaved) {
            return; // unchanged since the last save: no changelog write
        }
        savedClockMax = clock.maxEventTime();
        index.put(InactivityIndex.clockKey(), ByteBuffer.allocate(2 * Long.BYTES)
                .putLong(clock.maxEventTime()).putLong(clock.wallAtMax()).array());
        if (legacyClockSaved) {
            users.delete(LEGACY_CLOCK_KEY);
            legacyClockSaved = false;
        }
    }
}
