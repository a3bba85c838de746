/**
 * The Pulse streaming pipeline: {@link io.pulse.pipeline.PulseTopology} (the data flow), its typed configuration
 * {@link io.pulse.pipeline.PulseConfig}, and the application that runs it. Reads {@code user-events} and
 * {@code model-weights}; writes {@code user-predictions}, {@code churn-alerts}, {@code fraud-alerts} and
 * {@code user-events-dlq}.
 */
package io.pulse.pipeline;
