/**
 * The pipeline's state and its layouts. {@link io.pulse.pipeline.state.StateStores} names every state store and
 * builds it; the other classes describe what the stores hold: per-user state ({@link io.pulse.pipeline.state.UserState}
 * — the behaviour windows, the LSTM hidden and cell state with the version of the model that produced them, a short
 * ring of recent inputs for re-warming after a model change, the last scores and alert bookkeeping — serialized
 * compactly by {@link io.pulse.pipeline.state.UserStateCodec}, at most
 * {@link io.pulse.pipeline.state.UserStateCodec#MAX_BYTES} bytes, because per-user state size decides throughput and
 * disk), the keys of the scored-events log ({@link io.pulse.pipeline.state.ScoredEvent}) and of the inactivity index
 * ({@link io.pulse.pipeline.state.InactivityIndex}).
 */
package io.pulse.pipeline.state;
