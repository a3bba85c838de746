/**
 * Interest evolution, offline: what each user will want next. Items (and categories) are dense indices
 * {@code 0..n-1} given by an {@link io.pulse.trainer.interest.ItemIndex}; a
 * {@link io.pulse.trainer.interest.SequenceRanker} is fitted on training sequences and scores every item (or
 * category) as the next one after a user's history. The baselines the issue names live here: popularity, recent
 * popularity, a first-order item Markov chain and item co-occurrence rules over the last few items for next-item;
 * repeat-last, the user's most frequent and the category Markov chain for next-category (the same rankers run on
 * category sequences). {@link io.pulse.trainer.interest.LeaveOneOut} is the evaluation protocol of the public
 * sequential-recommendation benchmarks (last item = test, the one before = validation, full ranking, history removed)
 * and {@link io.pulse.trainer.interest.BaselineReport} prints every baseline on a data set.
 * {@link io.pulse.trainer.interest.CooccurrencePriors} fits the item co-occurrence prior the bundles ship, for the
 * benchmark's model and the production training round alike. Nothing here reads Kafka.
 */
package io.pulse.trainer.interest;
