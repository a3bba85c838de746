/**
 * Replay of any CSV event log into Pulse: a {@link io.pulse.simulator.replay.ColumnMapping} (parsed from a compact
 * string such as {@code user=CUSTOMER_ID,time=TX_DATETIME:yyyy-MM-dd HH:mm:ss,type=const:PAYMENT,item=TERMINAL_ID,
 * amount=TX_AMOUNT,label=TX_FRAUD}) says which columns are the user, the time, the type and the optional fields;
 * {@link io.pulse.simulator.replay.CsvReplaySource} reads one file or a directory of (optionally gzipped) files into
 * {@link io.pulse.simulator.replay.ReplayRecord}s in time order, with a FRAUD
 * {@link io.pulse.contracts.Label} per labelled row observed a configurable delay later
 * ({@link io.pulse.simulator.replay.ReplayOptions}); {@link io.pulse.simulator.replay.Replayer} publishes them to
 * {@code user-events} and {@code user-labels}, as fast as possible or at N times real time.
 *
 * <pre>{@code
 * ColumnMapping mapping = ColumnMapping.parse(
 *     "user=CUSTOMER_ID,time=TX_DATETIME:yyyy-MM-dd HH:mm:ss,type=const:PAYMENT,item=TERMINAL_ID,"
 *         + "amount=TX_AMOUNT,label=TX_FRAUD");
 * try (CsvReplaySource source = CsvReplaySource.open(Path.of("datasets/fraud-transactions"), mapping,
 *             ReplayOptions.defaults());
 *      Replayer replayer = new Replayer(producerConfig)) {
 *     PublishResult result = replayer.replay(source, Double.POSITIVE_INFINITY, Long.MAX_VALUE, n -> { });
 *     // source.outOfOrderRows(), source.badRows(), replayer.labelsNotYetDue() for the report
 * }
 * }</pre>
 */
package io.pulse.simulator.replay;
