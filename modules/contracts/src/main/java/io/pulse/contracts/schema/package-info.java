/**
 * Hand-written helpers around the generated Avro contracts (package {@code io.pulse.contracts}, generated at build
 * time from the {@code .avsc} files in the repository's {@code schemas/} directory): the catalogue of current and
 * released schemas, and the start-up step that tells Avro the generated classes may be instantiated when decoding.
 */
package io.pulse.contracts.schema;
