/**
 * Deciding whether an input record is usable: the rules, the reasons a record is refused, and how a refused record
 * travels to the dead-letter topic (original key and value bytes plus headers that say why and where it came from).
 */
package io.pulse.pipeline.validate;
