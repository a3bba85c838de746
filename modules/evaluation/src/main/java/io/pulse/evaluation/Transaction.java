package io.pulse.evaluation;

import java.time.LocalDate;

/**
 * What the protocol's bookkeeping needs of one transaction (the model never sees {@code fraud}).
 *
 * @param eventId    the event id it is published under
 * @param customerId the card
 * @param day        the UTC day of the transaction
 * @param fraud      1 if the transaction is fraudulent
 */
public record Transaction(String eventId, String customerId, LocalDate day, int fraud) {
}
