/**
 * Gated publishing: reads the current model from the compacted {@code model-weights} topic (or a file), lets
 * {@link io.pulse.trainer.publish.PublishGate} compare it with the new model on the held-out test period, and produces
 * the new {@code ModelBundle} (key = model name, Avro in the Confluent wire format) only if it wins.
 */
package io.pulse.trainer.publish;
