package io.pulse.benchmarks.e2e;

/** The topologies measured side by side on the same input bytes. */
public enum Variant {
    /** (a) source → sink of the same bytes: the cost of Kafka Streams and the broker alone. */
    PASS_THROUGH("a", "pass-through"),
    /** (b) a RocksDB get + put of a Pulse-sized per-user state (changelogged), a small output record; no model. */
    STATEFUL("b", "stateful, no model"),
    /** (c) the full {@code PulseTopology}: validation, dedup, state, LSTM step, heads, prediction log, alerts. */
    FULL("c", "full Pulse pipeline"),
    /**
     * (d) the same {@code PulseTopology} with a version-2 interest model ({@code BenchCatalogue}: 12,000 items, 50
     * categories): next categories, top-10 recommendations without seen items and the interest shift per event.
     */
    INTERESTS("d", "full pipeline, interest model");

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

    /** Whether this is Pulse's own topology (with a version-1 or a version-2 model). */
    public boolean isPulse() {
        return this == FULL || this == INTERESTS;
    }
}
