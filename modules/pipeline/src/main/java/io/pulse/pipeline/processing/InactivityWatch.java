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
 * <p>An entry that comes due before the user's real due time (the user was active since it was written) is moved on
 * by the punctuator in the index alone: it does not rewrite the user's state to record the new position, which would
 * cost a state write and a changelog record of a few hundred bytes per move. The punctuator handles due entries in
 * time order and records up to which second it has handled every one ({@link InactivityIndex#checkedUpToKey()}; a
 * time, no user id), and no entry is written at or before that mark again ({@link #position}); so a state whose
 * recorded position is at or before the mark has had its entry moved on, to its due time ({@link #indexedAt}). A
 * task's mark is saved with the index, in the same changelog.
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
    /** The punctuator has handled every entry due at or before this time (whole seconds; {@link #NONE}: none yet). */
    private long checkedUpTo = NONE;
    /** No entry is written at or before this time: the mark, and during a punctuation the mark it will set. */
    private long writtenAfter = NONE;
    private static final long NONE = Long.MIN_VALUE;

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
        // set whether or not one is saved: a task re-initialised after its stores were restored must not keep a
        // mark of the state it had before
        byte[] mark = index.get(InactivityIndex.checkedUpToKey());
        checkedUpTo = mark != null && mark.length == Long.BYTES ? ByteBuffer.wrap(mark).getLong() : NONE;
        writtenAfter = checkedUpTo;
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
     * event, the existing entry fires first and the punctuator moves it on ({@link #checkSilence}). The state's
     * record of the entry's position is brought up to date here, as the state is written anyway.
     */
    private void scheduleInactivityCheck(String userId, UserState state) {
        long indexedAt = indexedAt(state); // with the due time it was moved on to, if it was
        state.setInactivityIndexedAtMillis(indexedAt);
        if (!settings.alerts().churnAlertsEnabled()) {
            state.setInactivityDueAtMillis(0); // an entry left from before fires, finds nothing due and is dropped
            return;
        }
        state.setInactivityDueAtMillis(settings.alerts().firstInactivityCheck(state.windows().lastSeenMillis(),
                settings.alerts().rhythmMillis(state.windows())));
        long target = position(state.inactivityDueAtMillis());
        if (indexedAt > 0 && indexedAt <= target) {
            return;
        }
        if (indexedAt > 0) {
            unindex(InactivityIndex.key(indexedAt, userId));
        }
        index(userId, state, target);
    }

    /**
     * Where the user's index entry is (0: none). Where the state records it, unless the punctuator has handled the
     * index past that position: then it moved the entry on to the due time the state holds, without rewriting the
     * state ({@link #checkSilence}). Read before the due time changes.
     */
    private long indexedAt(UserState state) {
        long recorded = state.inactivityIndexedAtMillis();
        return recorded > 0 && recorded <= checkedUpTo ? state.inactivityDueAtMillis() : recorded;
    }

    /**
     * Where an entry for a check due at {@code at} goes: there, unless the punctuator has handled the index up to
     * that time ({@link #indexedAt} relies on no entry being written there again) — a check due before the mark, of a
     * user whose events lag far behind the task's, or one rescheduled within the second just handled — then the next
     * whole second after the mark, where the next punctuation finds it due all the same.
     */
    private long position(long at) {
        return at > writtenAfter ? at : writtenAfter + 1000L;
    }

    /**
     * Deletes an index entry. A put of null, which key-value stores take as a delete (their {@code put} contract),
     * rather than {@code delete}, which reads the old value first to return it: a record-cache lookup and, as the
     * entry is rarely cached, a RocksDB read per deletion (benchmarks/README.md, item 21).
     */
    private void unindex(Bytes key) {
        index.put(key, null);
    }

    /** Writes the user's entry at {@code position} (from {@link #position}) and records it in the state. */
    private void index(String userId, UserState state, long position) {
        index.put(InactivityIndex.key(position, userId), new byte[0]);
        state.setInactivityIndexedAtMillis(position);
    }

    /** The punctuation: handles due inactivity checks, oldest first, at most a configured number per call. */
    private void checkInactivity(long wallMillis) {
        if (!clock.isKnown()) {
            return; // no event yet on this task since the beginning of time: nothing can be silent
        }
        long now = clock.now(wallMillis);
        saveClock();
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        boolean lastSecondCut;
        try (KeyValueIterator<Bytes, byte[]> iterator =
                     index.range(InactivityIndex.from(), InactivityIndex.upTo(now))) {
            while (iterator.hasNext() && due.size() < settings.maxChecksPerPunctuation()) {
                due.add(iterator.next());
            }
            lastSecondCut = !due.isEmpty() && iterator.hasNext() && InactivityIndex.dueAt(iterator.peekNextKey())
                    == InactivityIndex.dueAt(due.get(due.size() - 1).key);
        }
        if (due.isEmpty()) {
            return;
        }
        // the mark this punctuation sets: the last second it handles whole (entries of a second cut short by the
        // per-punctuation limit are handled, but the mark stops before them). Entries are checked against the old
        // mark until all are handled; none is written at or before the new one meanwhile
        long lastDue = InactivityIndex.dueAt(due.get(due.size() - 1).key);
        long mark = Math.max(checkedUpTo, lastSecondCut ? lastDue - 1000L : lastDue);
        writtenAfter = mark;
        for (KeyValue<Bytes, byte[]> entry : due) {
            unindex(entry.key);
            long dueAt = InactivityIndex.dueAt(entry.key);
            checkSilence(InactivityIndex.userId(entry.key), dueAt, now, dueAt <= mark);
        }
        if (mark != checkedUpTo) {
            checkedUpTo = mark;
            index.put(InactivityIndex.checkedUpToKey(), ByteBuffer.allocate(Long.BYTES).putLong(mark).array());
        }
    }

    /**
     * Handles the user's entry due at {@code dueAt}, which the caller deleted; {@code markPasses}: whether the mark
     * this punctuation sets covers it, so that a move need not be recorded in the state.
     */
    private void checkSilence(String userId, long dueAt, long now, boolean markPasses) {
        byte[] stored = users.get(userId);
        if (stored == null) {
            return;
        }
        UserState state = codec.decode(stored);
        if (indexedAt(state) != dueAt) {
            return; // not this user's current entry (defensive: entries are deleted when they move)
        }
        if (state.inactivityDueAtMillis() > now) {
            // the user was active since the entry was written: move it on. In the index only when the mark passes the
            // old position (the state keeps it, and indexedAt reads the due time); else recorded in the state too
            long position = position(state.inactivityDueAtMillis());
            if (markPasses) {
                index.put(InactivityIndex.key(position, userId), new byte[0]);
            } else {
                index(userId, state, position);
                users.put(userId, codec.encode(state));
            }
            return;
        }
        state.setInactivityIndexedAtMillis(0); // the caller deleted the entry
        if (state.inactivityDueAtMillis() == 0) {
            users.put(userId, codec.encode(state)); // nothing to check any more
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
            index(userId, state, position(state.inactivityDueAtMillis()));
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
