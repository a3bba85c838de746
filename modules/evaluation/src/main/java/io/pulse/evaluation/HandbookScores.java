package io.pulse.evaluation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --scores-out}: every assessed test transaction's fraud score as the pipeline published it, one CSV row each
 * ({@code fold,transaction_id,customer_id,day,fraud,scenario,score}), for analysis beyond the report's tables (which
 * frauds a setting ranks low, score distributions per scenario). The scenario column is the data set's
 * {@code TX_FRAUD_SCENARIO}, never seen by the model.
 */
final class HandbookScores implements AutoCloseable {

    static final String HEADER = "fold,transaction_id,customer_id,day,fraud,scenario,score";

    private final BufferedWriter out;

    private HandbookScores(BufferedWriter out) {
        this.out = out;
    }

    /** Creates (or replaces) {@code file} with the header row. */
    static HandbookScores create(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        BufferedWriter out = Files.newBufferedWriter(file);
        out.write(HEADER);
        out.newLine();
        return new HandbookScores(out);
    }

    /** Appends one fold's assessed transactions with their scores, and flushes. */
    void append(HandbookFold fold, List<HandbookMetrics.Scored> scored) throws IOException {
        for (HandbookMetrics.Scored s : scored) {
            Transaction t = s.transaction();
            out.write(String.format(Locale.ROOT, "%d,%s,%s,%s,%d,%d,%.9g", fold.index(), t.eventId(),
                    t.customerId(), t.day(), t.fraud(), t.scenario(), s.score()));
            out.newLine();
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
