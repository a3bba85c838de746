package io.pulse.reliability.scaleout;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * Follows transactions through their coordinator ({@code Admin#describeTransactions}) every 100 ms and notes each
 * state change with this JVM's time: how long a killed producer's open transaction stays open (and holds back
 * read_committed consumers of the partitions it wrote to) until the coordinator aborts it.
 */
final class TransactionWatcher implements AutoCloseable {

    /** A transaction seen in a state, first at {@code atMillis}. */
    record Change(long atMillis, String transactionalId, TransactionState state) {
    }

    private final Admin admin;
    private final List<String> transactionalIds;
    private final Map<String, TransactionState> last = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "scale-out-transaction-watcher");
        thread.setDaemon(true);
        return thread;
    });

    TransactionWatcher(Admin admin, Collection<String> transactionalIds) {
        this.admin = admin;
        this.transactionalIds = List.copyOf(transactionalIds);
        poller.scheduleWithFixedDelay(this::poll, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        if (transactionalIds.isEmpty()) {
            return;
        }
        try {
            Map<String, TransactionDescription> described = admin.describeTransactions(transactionalIds)
                    .all().get(5, TimeUnit.SECONDS);
            long now = System.currentTimeMillis();
            synchronized (changes) {
                described.forEach((id, description) -> {
                    if (last.put(id, description.state()) != description.state()) {
                        changes.add(new Change(now, id, description.state()));
                    }
                });
            }
        } catch (Exception e) {
            // a coordinator moving or busy: the next poll tries again
        }
    }

    /** Every state change seen so far, in order. */
    List<Change> changes() {
        synchronized (changes) {
            return List.copyOf(changes);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
