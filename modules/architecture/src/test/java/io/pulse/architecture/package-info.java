/**
 * Architecture rules over the compiled main classes of every Pulse module: the model stays free of Kafka, no
 * production class depends on test or benchmark code, the pipeline's layers point one way (processors write
 * telemetry, the HTTP layer reads it) and its internals stay inside it.
 */
package io.pulse.architecture;
