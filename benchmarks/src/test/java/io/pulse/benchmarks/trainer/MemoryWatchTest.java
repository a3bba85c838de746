package io.pulse.benchmarks.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryWatchTest {

    @Test
    void shouldReadKilobyteLinesOfProcStatusAsBytes() {
        String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  2516582 kB\nVmRSS:\t 1000 kB\nThreads:\t42\n";

        assertThat(MemoryWatch.statusKilobytes(status, "VmHWM")).hasValue(2_516_582L * 1024);
        assertThat(MemoryWatch.statusKilobytes(status, "VmRSS")).hasValue(1000L * 1024);
    }

    @Test
    void shouldFindNothingForAMissingOrNonKilobyteKey() {
        String status = "Name:\tjava\nThreads:\t42\n";

        assertThat(MemoryWatch.statusKilobytes(status, "VmHWM")).isEmpty();
        assertThat(MemoryWatch.statusKilobytes(status, "Threads")).isEmpty();
    }

    @Test
    void shouldReadTheNiceValueAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 50 10 0 0 20 10 30 0 1234 5678 9\n";

        assertThat(MemoryWatch.niceOf(stat)).hasValue(10);
        assertThat(MemoryWatch.niceOf("garbage")).isEmpty();
    }
}
