/**
 * Readers for the public sequential-recommendation data sets: {@link io.pulse.simulator.sequences.SequenceFile} reads
 * users' item sequences (one user per line followed by their items, as S3-Rec's {@code Beauty.txt}, or one
 * {@code user item} pair per line), and {@link io.pulse.simulator.sequences.ItemAttributesFile} reads an item file into
 * each item's optional brand and {@link io.pulse.simulator.sequences.CategoryPath} (S3-Rec's
 * {@code *_item2attributes.json}, JSON lines or CSV with an explicit category column). Both are strict: a malformed
 * file fails at once with a {@link io.pulse.simulator.sequences.MalformedFileException} naming the file, the line and
 * the reason, and nothing is silently dropped. Ids stay strings here; dense indices are the trainer's business.
 */
package io.pulse.simulator.sequences;
