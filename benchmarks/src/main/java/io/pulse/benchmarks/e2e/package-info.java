/**
 * The end-to-end benchmark of issue #6: Pulse against a real local Kafka broker (KRaft, in-process) and a real
 * Confluent-compatible Schema Registry, all on 127.0.0.1. {@link io.pulse.benchmarks.e2e.E2eBenchmark} pre-generates
 * the simulator's events once per user count and measures, side by side on the same bytes: (a) a pass-through
 * topology, (b) a model-free stateful topology reading and writing a per-user state of Pulse's size, (c) the full
 * {@link io.pulse.pipeline.PulseTopology}, and (d), (e) the same with an interest model, with recommendations per event
 * and on request only ({@link io.pulse.benchmarks.e2e.Variant}); then the event-to-prediction latency of (c) at fixed
 * fractions of its maximum rate (the load from {@link io.pulse.benchmarks.e2e.PacedSender}, a JVM of its own), its
 * scaling with the number of users, and a JFR profile of where its time goes. Throughput runs read their whole input,
 * or are bounded in time to a number of steady windows ({@link io.pulse.benchmarks.e2e.SteadyWindows}). Input
 * topic {@code bench-events-*}; output topics {@code bench-*-out}, and for (c)–(e) Pulse's own topics under a per-run
 * prefix. See {@code benchmarks/README.md} for the commands and {@code benchmarks/RESULTS.md} for the latest tables.
 */
package io.pulse.benchmarks.e2e;
