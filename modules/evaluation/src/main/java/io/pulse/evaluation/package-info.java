/**
 * Offline evaluations of the whole system against published protocols. {@link io.pulse.evaluation.FraudHandbookEvaluation}
 * runs the fraud handbook's prequential protocol through the trainer and the production topology;
 * {@link io.pulse.evaluation.EvaluateMain} is the entry point, which {@code ./pulse evaluate} runs in a child JVM on this
 * module's class path (a developer tool of the source checkout: not on the launcher's class path, not in the image).
 */
package io.pulse.evaluation;
