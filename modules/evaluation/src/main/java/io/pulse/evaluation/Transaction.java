package io.pulse.evaluation;

import java.time.LocalDate;

/**
 * What the protocol's bookkeeping needs of one transaction (the model never sees {@code fraud} or {@code scenario}).
 *
 * @param eventId    the event id it is published under
 * @param customerId the card
 * @param day        the UTC day of the transaction
 * @param fraud      1 if the transaction is fraudulent
 * @param scenario   the data set's {@code TX_FRAUD_SCENARIO}: 0 genuine, 1 amount above 220, 2 compromised terminal,
 *                   3 leaked card (see {@link HandbookScenarios}); read for the per-scenario breakdown only
 * @param compromiseRevealed for a fraud: whether the unbroken run of frauds at its terminal that it belongs to (no
 *                   genuine transaction there in between) began at least {@link HandbookFold#DELAY_DAYS} before it,
 *                   so that the run's first fraud label had arrived — for a compromised-terminal fraud, whether a
 *                   label could have revealed the compromise; false for a genuine transaction; for the breakdown only
 */
public record Transaction(String eventId, String customerId, LocalDate day, int fraud, int scenario,
        boolean compromiseRevealed) {

    /** A transaction whose scenario is not tracked (0). */
    public Transaction(String eventId, String customerId, LocalDate day, int fraud) {
        this(eventId, customerId, day, fraud, 0, false);
    }
}
