package io.pulse.benchmarks.e2e;

/** The three topologies measured side by side on the same input bytes. */
public enum Variant {
    /** (a) source → sink of the same bytes: the cost of Kafka Streams and the broker alone. */
    PASS_THROUGH("a", "pass-through"),
    /** (b) a RocksDB get + put of a Pulse-sized per-user state (changelogged), a small output record; no model. */
    STATEFUL("b", "stateful, no model"),
    /** (c) the full {@code PulseTopology}: validation, dedup, state, LSTM step, heads, prediction log, alerts. */
    FULL("c", "full Pulse pipeline");

    private final String letter;
    private final String label;

    Variant(String letter, String label) {
        this.letter = letter;
        this.label = label;
    }

    public String letter() {
        return letter;
    }

    public String label() {
        return label;
    }
}
