package io.pulse.simulator.publish;

import io.pulse.contracts.UserEvent;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.simulator.EventSimulator;
import io.pulse.simulator.SimulationConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A seeded load, generated once and replayed byte for byte (the input of every end-to-end benchmark measurement and
 * of the reliability tests): the simulator's {@code UserEvent}s, keyed by user id (UTF-8), serialized by Pulse's own
 * Avro serializer in the Confluent wire format against the real registry. Event times are shifted so the last event
 * happened a minute before generation: a recent history, which the pipeline's validation accepts (it refuses events
 * from the future).
 */
public final class Workload {

    /** Subject under which the writer schema is registered ({@code bench-user-events-value}, as ever). */
    static final String SUBJECT_TOPIC = "bench-user-events";

    private final int users;
    private final byte[][] keys;
    private final byte[][] values;
    private final int distinctUsers;
    private final long valueBytes;
    private final Instant firstEventTime;
    private final Instant lastEventTime;

    private Workload(int users, byte[][] keys, byte[][] values, int distinctUsers, long valueBytes,
            Instant firstEventTime, Instant lastEventTime) {
        this.users = users;
        this.keys = keys;
        this.values = values;
        this.distinctUsers = distinctUsers;
        this.valueBytes = valueBytes;
        this.firstEventTime = firstEventTime;
        this.lastEventTime = lastEventTime;
    }

    /**
     * Simulates {@code events} events of a population of {@code users} (seeded) and serializes them.
     *
     * @param serdeConfig at least {@code schema.registry.url}
     */
    public static Workload generate(int users, int events, long seed, Map<String, Object> serdeConfig) {
        return generate(users, events, seed, serdeConfig, false);
    }

    /**
     * Like {@link #generate(int, int, long, Map)}; with {@code coverEveryUser} the simulated events are dealt out to
     * the {@code users} ids in turn ({@code events >= users}: every user gets state), keeping each event's type, time,
     * amount and the rest. The simulator alone reaches only the users active in the simulated period (200k events of
     * a 1M population touch about 56k users), which is not the point of a scaling measurement.
     */
    public static Workload generate(int users, int events, long seed, Map<String, Object> serdeConfig,
            boolean coverEveryUser) {
        return generate(users, events, seed, serdeConfig, coverEveryUser, UnaryOperator.identity());
    }

    /**
     * Like {@link #generate(int, int, long, Map, boolean)}, with every event passed through {@code adjust} (in order,
     * after the user id is dealt out and the time shifted) before it is serialized: e.g. the end-to-end benchmark puts
     * the items and categories of a model's catalogue on the events.
     */
    public static Workload generate(int users, int events, long seed, Map<String, Object> serdeConfig,
            boolean coverEveryUser, UnaryOperator<UserEvent> adjust) {
        if (events < 1) {
            throw new IllegalArgumentException("events must be at least 1, was " + events);
        }
        SimulationConfig config = SimulationConfig.defaults().withSeed(seed).withUsers(users)
                .withStart(Instant.parse("2026-01-01T00:00:00Z"));
        EventSimulator simulator = new EventSimulator(config);
        UserEvent[] generated = new UserEvent[events];
        for (int i = 0; i < events; i++) {
            generated[i] = simulator.next();
        }
        long shift = (System.currentTimeMillis() - 60_000L) - generated[events - 1].getEventTime().toEpochMilli();
        byte[][] keys = new byte[events][];
        byte[][] values = new byte[events][];
        Set<String> distinct = new HashSet<>();
        long valueBytes = 0;
        Instant first = null;
        Instant last = null;
        try (AvroSerializer<UserEvent> serializer = new AvroSerializer<>()) {
            serializer.configure(serdeConfig, false);
            for (int i = 0; i < events; i++) {
                UserEvent event = generated[i];
                generated[i] = null; // keep only the bytes: 1M users' events as objects would be ~1 GB of heap
                event.setEventTime(event.getEventTime().plusMillis(shift));
                if (coverEveryUser) {
                    event.setUserId(dealtUserId(i % users));
                }
                event = adjust.apply(event);
                first = first == null ? event.getEventTime() : first;
                last = event.getEventTime();
                keys[i] = event.getUserId().getBytes(StandardCharsets.UTF_8);
                values[i] = serializer.serialize(SUBJECT_TOPIC, event);
                valueBytes += values[i].length;
                distinct.add(event.getUserId());
            }
        }
        return new Workload(users, keys, values, distinct.size(), valueBytes, first, last);
    }

    /** A user id for slot {@code n}, scrambled so that consecutive slots land on different partitions. */
    static String dealtUserId(int n) {
        long mixed = (n * 0x9E3779B97F4A7C15L) >>> 40;
        return String.format(Locale.ROOT, "user-%06x-%d", mixed, n);
    }

    /** The simulated population (users active at any time; churned users are replaced by new ids). */
    public int users() {
        return users;
    }

    public int events() {
        return keys.length;
    }

    /** How many different user ids the events carry: the number of user states the stateful topologies keep. */
    public int distinctUsers() {
        return distinctUsers;
    }

    public byte[] key(int i) {
        return keys[i];
    }

    public byte[] value(int i) {
        return values[i];
    }

    public double meanValueBytes() {
        return (double) valueBytes / keys.length;
    }

    public Instant firstEventTime() {
        return firstEventTime;
    }

    public Instant lastEventTime() {
        return lastEventTime;
    }
}
