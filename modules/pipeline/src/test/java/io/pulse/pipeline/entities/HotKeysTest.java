package io.pulse.pipeline.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hot-entity indicator: the top entity's share per window of events, from a count-min sketch. */
class HotKeysTest {

    @Test
    void shouldReportNothingBeforeTheFirstEventAndTheRunningShareUntilAWindowCompletes() {
        HotKeys hot = new HotKeys(1_000);
        assertThat(hot.share()).isNaN();

        for (int i = 0; i < 100; i++) {
            hot.add(i % 4 == 0 ? "T-hot" : "T-" + i);
        }

        assertThat(hot.share()).isEqualTo(0.25);
    }

    @Test
    void shouldReportTheLastCompletedWindowWhileTheNextOneFills() {
        HotKeys hot = new HotKeys(1_000);
        for (int i = 0; i < 1_000; i++) {
            hot.add(i % 2 == 0 ? "T-hot" : "T-" + i); // half the window at one terminal
        }
        assertThat(hot.share()).isEqualTo(0.5);

        for (int i = 0; i < 999; i++) {
            hot.add("T-" + i); // a uniform window, not complete yet: the completed one is still reported
        }
        assertThat(hot.share()).isEqualTo(0.5);

        hot.add("T-last");
        // every terminal once: 1 of 1,000, plus what sketch collisions add (1,000 ids in 1,024 counters per row)
        assertThat(hot.share()).isGreaterThanOrEqualTo(0.001).isLessThan(0.01);
    }

    @Test
    void shouldEstimateTheTopShareOfAZipfStreamOverThousandsOfTerminals() {
        int terminals = 5_000;
        double[] cumulative = new double[terminals];
        double sum = 0;
        for (int k = 0; k < terminals; k++) {
            sum += 1.0 / (k + 1);
            cumulative[k] = sum;
        }
        SplittableRandom random = new SplittableRandom(7L);
        HotKeys hot = new HotKeys(HotKeys.DEFAULT_WINDOW);
        int[] counts = new int[terminals];
        for (int i = 0; i < HotKeys.DEFAULT_WINDOW; i++) {
            double u = random.nextDouble() * sum;
            int k = 0;
            while (cumulative[k] < u) {
                k++;
            }
            counts[k]++;
            hot.add("T" + k);
        }
        int top = 0;
        for (int c : counts) {
            top = Math.max(top, c);
        }

        // the sketch never underestimates, and overestimates by about window / width at most
        assertThat(hot.share()).isGreaterThanOrEqualTo((double) top / HotKeys.DEFAULT_WINDOW)
                .isCloseTo((double) top / HotKeys.DEFAULT_WINDOW, within(1.0 / HotKeys.WIDTH));
        assertThat(hot.share()).isCloseTo(1.0 / sum, within(0.02)); // about 11 % for the most popular terminal
    }
}
