package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.EventType;
import io.pulse.contracts.StoreErasure;
import io.pulse.model.FeatureSpec;
import io.pulse.pipeline.state.InactivityIndex;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.state.UserStateCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inactivity index over random interleavings of events (in order, late, in bursts within a second, and from a user
 * whose events lag days behind the task's clock), punctuations that handle at most a few due checks each, and
 * erasures: every user with a check due has exactly one entry, where it fires no later than the check is due (or right
 * after the punctuator's mark, for a check already overdue when written); nobody else has one; no entry sits at or
 * before the mark; an erasure removes the user's entry wherever the punctuator moved it; and a long silence afterwards
 * checks everyone to the end.
 */
class InactivityIndexInvariantsTest {

    private static final List<String> USERS = List.of("u-0", "u-1", "u-2", "u-3", "u-4", "burst", "laggard");
    private static final Duration LAG = Duration.ofDays(6);

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private final UserStateCodec codec = new UserStateCodec(FeatureSpec.v1());

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldKeepOneEntryPerWatchedUserThatFiresByItsDueTime() {
        for (long seed = 1; seed <= 2; seed++) {
            Seen seen = runRandomHistory(seed, false, Map.of(PulseConfig.INACTIVITY_MAX_CHECKS, "2",
                    PulseConfig.CHURN_ALERT_COOLDOWN_MS, "0"));
            assertThat(seen.moved()).as("seed %d: entries moved on in the index only, the case under test", seed)
                    .isPositive();
            assertThat(seen.clamped().getOrDefault("laggard", 0)).as("seed %d: the laggard's checks, overdue when written", seed)
                    .isPositive();
        }
    }

    @Test
    void shouldKeepTheInvariantsWithChecksEveryTenMillisecondsAndBurstsOfEvents() {
        // no minimum silence, punctuations every 10 ms of wall time passing in steps of under a second as often as in
        // minutes or hours, bursts of events 50 ms apart, and alerts only once a silence is very long: many
        // checks come due and are rescheduled within seconds of each other
        for (long seed = 3; seed <= 4; seed++) {
            runRandomHistory(seed, true, Map.of(PulseConfig.INACTIVITY_MAX_CHECKS, "3",
                    PulseConfig.INACTIVITY_MIN_SILENCE_MS, "0", PulseConfig.CHURN_ALERT_THRESHOLD, "0.999",
                    PulseConfig.INACTIVITY_CHECK_INTERVAL_MS, "10"));
            assertThat(fixture.metrics.inactivityCheckCount()).as("seed %d: users were checked", seed)
                    .isGreaterThan(50.0);
        }
    }

    /**
     * What a history went through: how often a state named a position its entry had been moved on from, and per user
     * how often its entry sat after its due time (written after the punctuator's mark).
     */
    private record Seen(int moved, Map<String, Integer> clamped) {
    }

    private Seen runRandomHistory(long seed, boolean fineSteps, Map<String, String> settings) {
        if (fixture != null) {
            fixture.close();
        }
        fixture = new TopologyFixture(stateDir.resolve("seed-" + seed), settings);
        Random random = new Random(seed);
        Duration wall = LAG; // wall clock (and so the task's clock) from START; events are never before START
        fixture.driver.advanceWallClockTime(LAG);
        Seen seen = new Seen(0, new HashMap<>());
        for (int step = 0; step < 400; step++) {
            int op = random.nextInt(100);
            String user = USERS.get(random.nextInt(USERS.size()));
            if (op < 55) {
                if (user.equals("burst")) { // ten events 50 ms apart, ending now: a rhythm of a fraction of a second
                    for (int i = 9; i >= 0; i--) {
                        fixture.send(TopologyFixture.event(user, EventType.VIEW, wall.minusMillis(50L * i)).build());
                    }
                } else {
                    Duration at = user.equals("laggard") ? wall.minus(LAG).plusMinutes(random.nextInt(60))
                            : random.nextInt(10) == 0 ? wall.minusHours(1 + random.nextInt(48)) // late
                            : wall.minusMinutes(random.nextInt(120));
                    fixture.send(TopologyFixture.event(user, EventType.VIEW, at).build());
                }
            } else if (op < 92) {
                Duration passing = fineSteps && random.nextBoolean() ? Duration.ofMillis(10 + random.nextInt(900))
                        : Duration.ofMinutes(1 + random.nextInt(30 * 60));
                wall = wall.plus(passing);
                fixture.driver.advanceWallClockTime(passing);
            } else {
                Map<String, List<Long>> before = entries();
                fixture.erase(user);
                long erased = fixture.audit.readValuesToList().stream().flatMap(a -> a.getStores().stream())
                        .filter(s -> s.getStore().equals(StateStores.INACTIVITY_INDEX))
                        .mapToLong(StoreErasure::getEntries).sum();
                assertThat(erased).as("seed %d step %d: the erasure found the entry", seed, step)
                        .isEqualTo(before.getOrDefault(user, List.of()).size());
            }
            seen = checkInvariants(seed, step, seen);
        }

        // a long silence: every check comes due and is handled (a few more punctuations at the end, as each handles
        // only a few); none is left behind the task's clock
        for (int hour = 0; hour < 60 * 24; hour++) {
            fixture.driver.advanceWallClockTime(Duration.ofHours(1));
        }
        for (int i = 0; i < USERS.size(); i++) {
            fixture.driver.advanceWallClockTime(Duration.ofMillis(20));
        }
        wall = wall.plusDays(60).plusMillis(20L * USERS.size());
        checkInvariants(seed, -1, seen);
        ByteBuffer clock = ByteBuffer.wrap(fixture.<Bytes, byte[]>keyValueStore(StateStores.INACTIVITY_INDEX)
                .get(InactivityIndex.clockKey()));
        long maxEventTime = clock.getLong();
        long now = maxEventTime + (TopologyFixture.START.plus(wall).toEpochMilli() - clock.getLong());
        entries().forEach((user, times) -> assertThat(times).as("seed %d: %s's check after the silence", seed, user)
                .allMatch(at -> at > now));
        return seen;
    }

    /** Asserts the invariants; returns {@code seen} with what this step showed added. */
    private Seen checkInvariants(long seed, int step, Seen seen) {
        KeyValueStore<Bytes, byte[]> index = fixture.keyValueStore(StateStores.INACTIVITY_INDEX);
        byte[] markBytes = index.get(InactivityIndex.checkedUpToKey());
        long mark = markBytes == null ? Long.MIN_VALUE : ByteBuffer.wrap(markBytes).getLong();
        Map<String, List<Long>> entries = entries();
        entries.forEach((user, times) -> times.forEach(at -> assertThat(at)
                .as("seed %d step %d: %s's entry at %d is after the mark", seed, step, user, at)
                .isGreaterThan(mark)));
        KeyValueStore<String, byte[]> users = fixture.keyValueStore(StateStores.USER_STATE);
        int moved = seen.moved();
        for (String user : USERS) {
            byte[] stored = users.get(user);
            List<Long> times = entries.getOrDefault(user, List.of());
            if (stored == null) {
                assertThat(times).as("seed %d step %d: %s has no state", seed, step, user).isEmpty();
                continue;
            }
            UserState state = codec.decode(stored);
            if (state.inactivityDueAtMillis() == 0) {
                assertThat(times).as("seed %d step %d: nothing due for %s", seed, step, user).isEmpty();
                continue;
            }
            assertThat(times).as("seed %d step %d: %s's one entry", seed, step, user).hasSize(1);
            long latest = Math.max(state.inactivityDueAtMillis(), mark == Long.MIN_VALUE ? 0 : mark + 1000);
            assertThat(times.get(0)).as("seed %d step %d: %s's entry fires by its due time", seed, step, user)
                    .isLessThanOrEqualTo(latest);
            if (state.inactivityIndexedAtMillis() != times.get(0)) {
                moved++;
            }
            if (times.get(0) > state.inactivityDueAtMillis()) {
                seen.clamped().merge(user, 1, Integer::sum);
            }
        }
        return new Seen(moved, seen.clamped());
    }

    /** Each user's entries in the inactivity index, by due time. */
    private Map<String, List<Long>> entries() {
        KeyValueStore<Bytes, byte[]> index = fixture.keyValueStore(StateStores.INACTIVITY_INDEX);
        Map<String, List<Long>> entries = new HashMap<>();
        try (var all = index.all()) {
            all.forEachRemaining(entry -> {
                if (InactivityIndex.isCheck(entry.key)) {
                    entries.computeIfAbsent(InactivityIndex.userId(entry.key), u -> new ArrayList<>())
                            .add(InactivityIndex.dueAt(entry.key));
                }
            });
        }
        return entries;
    }
}
