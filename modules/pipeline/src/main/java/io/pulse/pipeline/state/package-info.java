/**
 * Per-user state kept in RocksDB: the behaviour windows, the LSTM hidden and cell state with the version of the
 * model that produced them, a short ring of recent inputs for re-warming after a model change, the last scores and
 * alert bookkeeping. Serialized compactly (at most {@link io.pulse.pipeline.state.UserStateCodec#MAX_BYTES} bytes),
 * because per-user state size decides throughput and disk.
 */
package io.pulse.pipeline.state;
