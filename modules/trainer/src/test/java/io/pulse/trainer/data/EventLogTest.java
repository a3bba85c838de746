package io.pulse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.UserEvent;
import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spilled event log gives back exactly what was written, pass after pass, and leaves no file behind. */
class EventLogTest {

    private static final List<UserEvent> EVENTS = SimulatedHistory.generate(SimulationConfig.defaults().withSeed(5)
            .withUsers(10), Duration.ofDays(3)).userEvents();

    @Test
    void shouldReadBackEveryEventInArrivalOrderOnEveryPass() {
        try (EventLog.Writer writer = EventLog.spill()) {
            EVENTS.forEach(writer::add);
            try (EventLog log = writer.finish()) {
                for (int pass = 0; pass < 2; pass++) {
                    List<UserEvent> read = new ArrayList<>();
                    log.forEach(read::add);
                    assertThat(read).isEqualTo(EVENTS);
                }
                EventLog memory = EventLog.of(EVENTS);
                assertThat(log.size()).isEqualTo(memory.size()).isEqualTo(EVENTS.size());
                assertThat(log.oldestMillis()).isEqualTo(memory.oldestMillis());
                assertThat(log.newestMillis()).isEqualTo(memory.newestMillis());
            }
        }
    }

    @Test
    void shouldDeleteTheSpillFilesWhenTheLogAndTheTrainingDataAreClosed(@TempDir Path base) throws Exception {
        String previous = System.getProperty(SpillDirectory.PROPERTY);
        System.setProperty(SpillDirectory.PROPERTY, base.toString());
        try {
            EventLog log;
            try (EventLog.Writer writer = EventLog.spill()) {
                EVENTS.forEach(writer::add);
                log = writer.finish();
            }
            History history = History.of("spilled", log, List.of(), false, java.util.Map.of());
            TrainingData data = TrainingData.build(history, Duration.ofHours(12), 0.6, 0.2);
            assertThat(data.sequences()).isNotEmpty();
            assertThat(files(base)).isNotEmpty();
            data.close();
            history.close();
            assertThat(files(base)).isEmpty();
        } finally {
            if (previous == null) {
                System.clearProperty(SpillDirectory.PROPERTY);
            } else {
                System.setProperty(SpillDirectory.PROPERTY, previous);
            }
        }
    }

    private static List<Path> files(Path base) throws Exception {
        try (Stream<Path> files = Files.list(base)) {
            return files.toList();
        }
    }
}
