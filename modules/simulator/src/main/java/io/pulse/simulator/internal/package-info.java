/**
 * Implementation details of the simulator and replay (the exact diurnal, decaying session intensity; labels waiting
 * for their observation time; the CSV tokenizer). Not a public API: may change without notice.
 */
package io.pulse.simulator.internal;
