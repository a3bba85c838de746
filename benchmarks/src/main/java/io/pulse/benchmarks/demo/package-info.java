/**
 * What a new user sees after {@code ./pulse demo}: the time to the dashboard, to its first prediction and to the
 * trained model's hot swap, and the console's warnings ({@link io.pulse.benchmarks.demo.DemoStartBenchmark},
 * issue #16).
 */
package io.pulse.benchmarks.demo;
