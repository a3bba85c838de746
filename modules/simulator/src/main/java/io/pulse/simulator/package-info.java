/**
 * Synthetic user behaviour with known ground truth, for tests, the demo, benchmarks and the trainer. No Kafka here
 * (see {@link io.pulse.simulator.publish} for writing to topics, {@link io.pulse.simulator.replay} for real data sets).
 *
 * <ul>
 *   <li>{@link io.pulse.simulator.SimulationConfig}: seed, users, start, session gap, churn horizon, shares of
 *   declining and compromised users, {@link io.pulse.simulator.TerminalCompromises} (busy terminals and
 *   compromised-terminal episodes, off by default) and the fraud label delay. Everything is reproducible from the
 *   seed.</li>
 *   <li>{@link io.pulse.simulator.CompromiseEpisode}: one compromised-terminal episode; every payment at its terminal
 *   within it is fraud ({@link io.pulse.simulator.GroundTruthSimulator#terminalCompromises()} lists them). Payments
 *   carry {@code attributes.terminal}, every event {@code attributes.device}.</li>
 *   <li>{@link io.pulse.simulator.GroundTruthSimulator}: the endless event stream, each event a
 *   {@link io.pulse.simulator.SimulatedEvent} = {@link io.pulse.contracts.UserEvent} + {@link
 *   io.pulse.simulator.GroundTruth} (Bayes-optimal next-action distribution, exact probability of no event within the
 *   churn horizon, fraud flag, latent engagement, the user's true interests) + {@link io.pulse.simulator.Outcome}
 *   (what really happened next). Its class comment documents the generative model and how the truth is computed
 *   (exactly, in closed form).</li>
 *   <li>{@link io.pulse.simulator.SimulatedCatalogue}: the items and the category hierarchy they belong to
 *   ({@code Beauty>Skin Care>Face}); {@link io.pulse.simulator.InterestTruth}: a user's level-2 category
 *   distribution at an event, which drifts and sometimes switches, and the events since the last switch.</li>
 *   <li>{@link io.pulse.simulator.EventSimulator}: the same stream as a plain {@code Iterator<UserEvent>}.</li>
 *   <li>{@link io.pulse.simulator.SimulatedLabels}: the delayed {@link io.pulse.contracts.Label}s of an event (FRAUD
 *   chargebacks 1 to 7 days later by default, some confirmed-genuine payments, a CHURN outcome per event).</li>
 *   <li>{@link io.pulse.simulator.Timeline}: events and labels merged in time order, each label at its observedAt,
 *   for publishing.</li>
 *   <li>{@link io.pulse.simulator.SimulatedHistory#generate}: a finite history in memory (events, truth, outcomes,
 *   the labels known at its end), for the trainer and tests.</li>
 *   <li>{@link io.pulse.simulator.BayesLogLoss}: the best achievable log-loss for next action and churn on a set of
 *   simulated events, and the marginal baselines, to report next to a model's.</li>
 * </ul>
 *
 * <pre>{@code
 * SimulationConfig config = SimulationConfig.defaults().withUsers(2000).withChurnHorizon(Duration.ofDays(7));
 * SimulatedHistory history = SimulatedHistory.generate(config, Duration.ofDays(60));
 * double floor = BayesLogLoss.nextAction(history.events());   // the model's next-action log-loss is >= this
 * }</pre>
 */
package io.pulse.simulator;
