/**
 * The Deeplearning4j side: the LSTM network with its three output heads, minibatches of masked variable-length
 * sequences, truncated backpropagation through time, Adam with fixed seeds, early stopping on the validation period,
 * and the export of the trained parameters into a {@code ModelBundle} that the plain-Java kernel runs identically.
 * DL4J lives only in the trainer process.
 */
package io.pulse.trainer.train;
