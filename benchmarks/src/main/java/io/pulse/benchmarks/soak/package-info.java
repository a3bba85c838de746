/**
 * The soak run: the full pipeline in its own JVM at half its maximum rate for 30 minutes, with resident memory, heap
 * and consumer lag sampled throughout; results in {@code benchmarks/RESULTS.md} between {@code soak} markers.
 */
package io.pulse.benchmarks.soak;
