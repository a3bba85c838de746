package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.LabelKind;
import io.pulse.contracts.ModelBundle;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.PulseConfig;
import io.pulse.simulator.CompromiseEpisode;
import io.pulse.simulator.SimulatedCatalogue;
import io.pulse.simulator.SimulationConfig;
import io.pulse.simulator.Timeline;
import io.pulse.simulator.TimelineEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/** What the demo trains and runs, without starting the demo (it binds fixed ports). */
class DemoCommandTest {

    @Test
    void shouldTrainTheDemosInitialModelWithInterestHeadsOnSimulatedItemsAndCategories(@TempDir Path dir)
            throws IOException {
        // the demo's own arguments, on a small population, a short history and one small epoch
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(DemoCommand.initialTrainingArgs(20, 8, 7L, "1d", dir));
        // the demo caps its epochs (a start-up of a minute or two); this test caps them lower still
        int epochs = args.indexOf("--epochs");
        assertThat(epochs).as("the demo's training has an epoch cap").isPositive();
        args.subList(epochs, epochs + 2).clear();
        args.addAll(List.of("--no-publish", "--hidden", "8", "--epochs", "1"));
        StringWriter err = new StringWriter();

        int exit = Pulse.commandLine().setOut(new PrintWriter(new StringWriter(), true))
                .setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new));

        assertThat(exit).as("stderr: %s", err).isZero();
        Path bundleFile;
        try (Stream<Path> files = Files.walk(dir)) {
            bundleFile = files.filter(p -> p.endsWith("model.bundle")).findFirst().orElseThrow();
        }
        ModelBundle bundle = ModelBundles.read(bundleFile);
        LstmModel model = ModelBundles.toModel(bundle);
        assertThat(model.hasInterests()).isTrue();
        assertThat(model.catalogue().level()).isEqualTo(2);
        // the catalogue's categories are the simulator's level-2 categories (and the unknown row)
        assertThat(SimulatedCatalogue.get().interestCategories())
                .containsAll(model.catalogue().categoryIds().subList(1, model.catalogue().categories()));
        assertThat(model.catalogue().categories()).isGreaterThan(10);
        // one model with the terminal's windows too, the entity type the demo's pipeline keeps
        assertThat(model.featureSpec().entities()).isEqualTo(new PulseConfig(Map.of(PulseConfig.ENTITIES_TYPES,
                DemoCommand.ENTITY_TYPES)).entities());
    }

    @Test
    void shouldKeepInterestHeadsWhenTheDemoRetrains(@TempDir Path dir) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(DemoCommand.retrainingArgs("10m", "1d", dir));
        ParseResult parsed = Pulse.commandLine().parseArgs(args.toArray(String[]::new));
        TrainCommand retrain = (TrainCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(retrain.interests).isTrue();
        assertThat(retrain.entities).extracting(io.pulse.model.EntityWindowSpec::type).containsExactly("terminal");
        assertThat(retrain.source).isEqualTo(TrainCommand.Source.KAFKA);
        assertThat(retrain.every).isEqualTo("10m");
    }

    @Test
    void shouldRunTheDemoPipelineWithAValidInterestShiftAlertThreshold() {
        PulseConfig config = new PulseConfig(Map.of(PulseConfig.INTEREST_ALERT_THRESHOLD,
                DemoCommand.INTEREST_ALERT_THRESHOLD));

        assertThat(config.getDouble(PulseConfig.INTEREST_ALERT_THRESHOLD)).isBetween(0.0, 1.0).isLessThan(1.0);
    }

    @Test
    void shouldRunTheDemoPipelineWithAValidFraudAlertThresholdBelowTheDefault() {
        PulseConfig config = new PulseConfig(Map.of(PulseConfig.FRAUD_ALERT_THRESHOLD,
                DemoCommand.FRAUD_ALERT_THRESHOLD));

        assertThat(config.getDouble(PulseConfig.FRAUD_ALERT_THRESHOLD)).isBetween(0.0, 1.0)
                .isLessThan(new PulseConfig(Map.of()).getDouble(PulseConfig.FRAUD_ALERT_THRESHOLD));
    }

    @Test
    void shouldTrainOnTheLiveSimulationsTerminalCompromisesAndLabelDelay(@TempDir Path dir) {
        SimulationConfig live = DemoCommand.simulation(300, 7L, Duration.ofDays(1));
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(DemoCommand.initialTrainingArgs(live, 21, dir));
        ParseResult parsed = Pulse.commandLine().parseArgs(args.toArray(String[]::new));
        TrainCommand train = (TrainCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(train.simulation(Duration.ofDays(1))).isEqualTo(live);
        assertThat(live.terminalCompromises()).isEqualTo(DemoCommand.TERMINAL_COMPROMISES);
        assertThat(live.maxFraudLabelDelay()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void shouldShowCompromisedTerminalsWithLabelledFraudsWithinFourMinutesOfTheDemo() {
        // the demo's defaults: 300 users, seed 7, 50 events/s, so four minutes are 12,000 events
        Timeline timeline = new Timeline(DemoCommand.simulation(300, 7L, Duration.ofDays(1)));
        Map<String, String> terminalOfPayment = new HashMap<>();
        Map<String, Integer> labelledFrauds = new HashMap<>();
        while (timeline.eventsEmitted() < 12_000) {
            TimelineEntry entry = timeline.next();
            if (entry instanceof TimelineEntry.EventEntry event && event.simulated().truth().fraud()) {
                terminalOfPayment.put(event.simulated().event().getEventId(),
                        event.simulated().event().getAttributes().get("terminal"));
            } else if (entry instanceof TimelineEntry.LabelEntry label && label.label().getKind() == LabelKind.FRAUD
                    && label.label().getPositive()) {
                labelledFrauds.merge(terminalOfPayment.get(label.label().getEventId()), 1, Integer::sum);
            }
        }
        List<String> compromised = timeline.simulator().terminalCompromises().stream()
                .map(CompromiseEpisode::terminal).distinct().toList();

        assertThat(compromised).hasSizeGreaterThanOrEqualTo(3);
        assertThat(compromised).filteredOn(t -> labelledFrauds.getOrDefault(t, 0) >= 2).hasSizeGreaterThanOrEqualTo(3);
        assertThat(compromised).anySatisfy(t -> assertThat(labelledFrauds.getOrDefault(t, 0)).isGreaterThanOrEqualTo(5));
    }
}
