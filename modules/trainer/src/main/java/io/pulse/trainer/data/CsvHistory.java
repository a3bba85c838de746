package io.pulse.trainer.data;

import io.pulse.contracts.Label;
import io.pulse.simulator.replay.ColumnMapping;
import io.pulse.simulator.replay.CsvReplaySource;
import io.pulse.simulator.replay.ReplayOptions;
import io.pulse.simulator.replay.ReplayRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a CSV event log (a file or a directory of files) into a {@link History} through the simulator's
 * {@link ColumnMapping}, e.g. {@code user=userId,time=timestamp:epoch-s,type=const:RATING,item=movieId,rating=rating}.
 * Fraud counts as labelled when the mapping has a {@code label} column. Unreadable rows are skipped and counted (up
 * to the options' limit).
 */
public final class CsvHistory {

    private static final Logger LOG = LoggerFactory.getLogger(CsvHistory.class);

    private CsvHistory() {
    }

    /**
     * Reads the whole log, spilling the events to disk as they are read (the history owns the file: close it); the
     * labels are kept in memory.
     */
    public static History read(Path fileOrDirectory, ColumnMapping mapping, ReplayOptions options) {
        long started = System.nanoTime();
        List<Label> labels = new ArrayList<>();
        Map<String, Long> skipped = new LinkedHashMap<>();
        try (CsvReplaySource source = CsvReplaySource.open(fileOrDirectory, mapping, options);
             EventLog.Writer events = EventLog.spill()) {
            while (source.hasNext()) {
                ReplayRecord record = source.next();
                events.add(record.event());
                if (record.label() != null) {
                    labels.add(record.label());
                }
            }
            if (source.badRows() > 0) {
                skipped.put("unreadable rows", source.badRows());
            }
            EventLog log = events.finish();
            LOG.info("read {} events and {} labels from {} in {} s (events spilled to disk)", log.size(),
                    labels.size(), fileOrDirectory, Math.round((System.nanoTime() - started) / 1e9));
            return History.of("csv " + fileOrDirectory + " (" + mapping + ")", log, labels,
                    mapping.labelColumn() != null, skipped);
        }
    }

    /** Reads the whole log with {@link ReplayOptions#defaults()}. */
    public static History read(Path fileOrDirectory, ColumnMapping mapping) {
        return read(fileOrDirectory, mapping, ReplayOptions.defaults());
    }
}
