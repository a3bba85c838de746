package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class MachineTest {

    @Test
    void shouldSayWhichCollectorTheMeasuringJvmRanWith() {
        String collectorLine = Machine.describe().stream().filter(line -> line.startsWith("garbage collector: "))
                .findFirst().orElseThrow();

        // a report compares runs: it must name the collector, which changes pause times and throughput
        ManagementFactory.getGarbageCollectorMXBeans()
                .forEach(gc -> assertThat(collectorLine).contains(gc.getName()));
    }
}
