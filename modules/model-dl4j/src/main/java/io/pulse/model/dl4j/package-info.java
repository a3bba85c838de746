/**
 * Pulse's network in Deeplearning4j, written once and shared by the trainer (which trains it), the parity test
 * (which proves the plain-Java kernel of {@code io.pulse.model} computes the same thing) and the benchmarks (which
 * time the two): {@link io.pulse.model.dl4j.PulseNetwork} builds the graph, for training or for forward passes only,
 * loads a {@code ModelBundle} into it and exports its weights in the bundle's layout; {@link
 * io.pulse.model.dl4j.Dl4jLayout} converts between DL4J's column-major parameters and the bundle's row-major tensors.
 * The pipeline never depends on this package: DL4J stays off its class path.
 */
package io.pulse.model.dl4j;
