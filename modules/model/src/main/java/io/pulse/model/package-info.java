/**
 * Pulse's model: the one definition of the feature encoding shared by the streaming pipeline and the trainer
 * ({@link io.pulse.model.FeatureSpec}, {@link io.pulse.model.FeatureEncoder}), the compact per-user behaviour windows
 * they read ({@link io.pulse.model.BehaviourWindows}), the per-entity windows with delayed-label fraud risk
 * ({@link io.pulse.model.EntityWindows}, sharing the user windows' decay law), the plain-Java LSTM step and output heads
 * ({@link io.pulse.model.LstmModel}) proven equal to Deeplearning4j's {@code rnnTimeStep}, and the conversion between
 * the {@code ModelBundle} contract and a runnable model ({@link io.pulse.model.ModelBundles}). Nothing here reads or
 * writes Kafka topics; the pipeline and the trainer do.
 */
package io.pulse.model;
