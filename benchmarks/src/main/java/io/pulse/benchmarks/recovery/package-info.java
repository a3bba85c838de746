/**
 * How long a single pipeline instance is gone after a crash, a clean restart and a lost disk
 * ({@link io.pulse.benchmarks.recovery.RecoveryBenchmark}, issue #16), written to {@code benchmarks/OPERATIONS.md}.
 */
package io.pulse.benchmarks.recovery;
