package io.pulse.benchmarks.e2e;

import io.pulse.model.FeatureSpec;
import io.pulse.pipeline.state.InputRing;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.state.UserStateCodec;
import java.nio.ByteBuffer;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The two reference topologies the full pipeline is compared with. Every processor, store and topic is named, as in
 * Pulse ({@code ensure.explicit.internal.resource.naming} is on for every variant).
 */
public final class BenchTopologies {

    public static final String SOURCE = "bench-source";
    public static final String SINK = "bench-sink";
    public static final String STATE_PROCESSOR = "bench-state-touch";
    /** The model-free topology's per-user store (changelog {@code <application.id>-bench-user-state-changelog}). */
    public static final String STATE_STORE = "bench-user-state";

    private BenchTopologies() {
    }

    /** (a) Input bytes to output bytes, nothing else. Input and output: byte[] key and value. */
    public static Topology passThrough(String inputTopic, String outputTopic) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
                .to(outputTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SINK));
        return builder.build();
    }

    /**
     * (b) Per event one get and one put of a {@code stateBytes}-long per-user value in a persistent, changelogged
     * key-value store keyed by the user id string (as Pulse's {@code user-state}); emits the user's 8-byte event count.
     * No Avro decoding and no model: what Pulse's state access costs on its own.
     */
    public static Topology statefulModelFree(String inputTopic, String outputTopic, int stateBytes) {
        if (stateBytes < 24) {
            throw new IllegalArgumentException("stateBytes must be at least 24, was " + stateBytes);
        }
        StoreBuilder<KeyValueStore<String, byte[]>> store = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), Serdes.ByteArray());
        ProcessorSupplier<String, byte[], String, byte[]> touch = new ProcessorSupplier<>() {
            @Override
            public Processor<String, byte[], String, byte[]> get() {
                return new StateTouch(stateBytes);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(store);
            }
        };
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(SOURCE))
                .process(touch, Named.as(STATE_PROCESSOR))
                .to(outputTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName(SINK));
        return builder.build();
    }

    /**
     * The serialized size of a Pulse user state with hidden size {@code hidden} and a full input ring: what the model-free
     * topology stores per user so that both move the same bytes through RocksDB and the changelog.
     */
    public static int pulseStateBytes(int hidden) {
        FeatureSpec spec = FeatureSpec.v1();
        UserState state = UserState.newUser(hidden, spec);
        float[] raw = new float[spec.inputSize()];
        for (int i = 0; i < InputRing.CAPACITY; i++) {
            state.recentInputs().add(raw);
        }
        return new UserStateCodec(spec).encode(state).length;
    }

    /** Reads the user's state, changes it as an event would (count, last time, a few bytes), writes it back. */
    static final class StateTouch implements Processor<String, byte[], String, byte[]> {
        private final int stateBytes;
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, byte[]> store;

        StateTouch(int stateBytes) {
            this.stateBytes = stateBytes;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STATE_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            byte[] state = store.get(record.key());
            if (state == null) {
                state = new byte[stateBytes];
            }
            ByteBuffer buffer = ByteBuffer.wrap(state);
            long count = buffer.getLong(0) + 1;
            buffer.putLong(0, count);
            buffer.putLong(8, record.timestamp());
            int valueLength = record.value() == null ? 0 : record.value().length;
            state[16 + (int) (count % (stateBytes - 16))] ^= (byte) valueLength;
            store.put(record.key(), state);
            context.forward(record.withValue(ByteBuffer.allocate(Long.BYTES).putLong(count).array()));
        }
    }
}
