package io.pulse.pipeline.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class InactivityIndexTest {

    @Test
    void shouldTellChecksFromTheTaskClock() {
        assertThat(InactivityIndex.isCheck(InactivityIndex.key(0, "u"))).isTrue();
        assertThat(InactivityIndex.isCheck(InactivityIndex.key(Long.MAX_VALUE, "u-1"))).isTrue();
        assertThat(InactivityIndex.isCheck(InactivityIndex.clockKey())).isFalse();
    }

    @Test
    void shouldKeepTheClockOutsideEveryRangeOfDueChecks() {
        Bytes clock = InactivityIndex.clockKey();

        assertThat(clock.compareTo(InactivityIndex.from())).isPositive();
        assertThat(clock.compareTo(InactivityIndex.upTo(Long.MAX_VALUE - 1))).isPositive();
        assertThat(clock.compareTo(InactivityIndex.key(Long.MAX_VALUE, "\uffff"))).isPositive();
    }

    @Test
    void shouldHandOutACopyOfTheClockKey() {
        InactivityIndex.clockKey().get()[0] = 0;

        assertThat(InactivityIndex.clockKey().get()[0]).isEqualTo((byte) 0xFF);
    }
}
