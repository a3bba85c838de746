package io.pulse.pipeline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import io.pulse.model.FeatureEncoder;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ItemCooccurrence;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The interest part of the user state (format 3): seen items, category profile, ring rows; formats 1 and 2 read. */
class UserStateInterestsTest {

    private static final FeatureSpec SPEC = FeatureSpec.v1();
    private static final long T0 = 1_772_000_000_000L;

    private static UserState user(boolean withInterests, int seen, int categories) {
        return user(withInterests, seen, categories, 0);
    }

    /** A user whose interest rows belong to the catalogue with {@code fingerprint}. */
    private static UserState user(boolean withInterests, int seen, int categories, int fingerprint) {
        SplittableRandom random = new SplittableRandom(11);
        UserState state = UserState.newUser(64, SPEC);
        state.adoptCatalogue(fingerprint);
        FeatureEncoder encoder = new FeatureEncoder(SPEC);
        float[] raw = new float[SPEC.inputSize()];
        long t = T0;
        for (int i = 0; i < 300; i++) {
            t += (long) (random.nextDouble() * 3_600_000);
            encoder.encode(EventType.VIEW, t, Double.NaN, Double.NaN, state.windows(), raw);
            if (withInterests) {
                state.recentInputs().add(raw, 1000 + i, 1 + i % 7);
                state.seenItems().add(1000 + i, seen);
            } else {
                state.recentInputs().add(raw);
            }
        }
        for (int i = 0; i < 64; i++) {
            state.hidden()[i] = (float) (random.nextDouble() * 2 - 1);
            state.cell()[i] = (float) (random.nextDouble() * 6 - 3);
        }
        state.markProducedBy("v-1");
        state.rememberScores(0.3f, 0.1f, 2);
        state.setInactivityDueAtMillis(t + 86_400_000L);
        state.setInactivityIndexedAtMillis(t + 3_600_000L);
        if (withInterests) {
            float[] profile = new float[categories];
            Arrays.fill(profile, 1f / categories);
            state.setCategoryProfile(profile);
        }
        return state;
    }

    @Test
    void shouldRoundTripTheSeenItemsTheProfileAndTheRingRows() {
        UserStateCodec codec = new UserStateCodec(SPEC);
        UserState state = user(true, 50, 33);

        UserState back = codec.decode(codec.encode(state));

        assertThat(back.seenItems().size()).isEqualTo(50);
        int[] rows = new int[50];
        back.seenItems().copyTo(rows);
        assertThat(rows[0]).isEqualTo(1250);
        assertThat(rows[49]).isEqualTo(1299);
        assertThat(back.categoryProfile()).hasSize(33);
        assertThat(back.categoryProfile()[5]).isCloseTo(1f / 33, within(1e-4f));
        assertThat(back.recentInputs().itemRow(InputRing.CAPACITY - 1)).isEqualTo(1299);
        assertThat(back.recentInputs().categoryRow(InputRing.CAPACITY - 1)).isEqualTo(1 + 299 % 7);
        assertThat(back.inactivityIndexedAtMillis()).isEqualTo(state.inactivityIndexedAtMillis());
    }

    @Test
    void shouldKeepAUserWithInterestsWithinTheStateAndInterestBudget() {
        UserStateCodec codec = new UserStateCodec(SPEC);
        UserState state = user(true, SeenItems.MAX_CAPACITY, 64);

        byte[] bytes = codec.encode(state);

        assertThat(state.seenItems().size()).isEqualTo(SeenItems.MAX_CAPACITY);
        assertThat(bytes.length).isEqualTo(codec.sizeOf(state));
        assertThat(bytes.length).isLessThanOrEqualTo(UserStateCodec.MAX_BYTES
                + UserStateCodec.interestBudget(SeenItems.MAX_CAPACITY, 64));
    }

    @Test
    void shouldCostOneByteMoreThanFormatTwoWithoutInterests() {
        UserStateCodec codec = new UserStateCodec(SPEC);
        UserState state = user(false, 0, 0);

        byte[] bytes = codec.encode(state);

        assertThat(bytes[0]).isEqualTo((byte) 3);
        assertThat(bytes[bytes.length - 1]).isZero(); // no interest part present
        assertThat(bytes.length).isLessThanOrEqualTo(UserStateCodec.MAX_BYTES);
    }

    @Test
    void shouldReadAStateWrittenInFormatTwo() {
        UserStateCodec codec = new UserStateCodec(SPEC);
        UserState state = user(false, 0, 0);
        // format 2 is format 3 without the trailing interest part (its presence byte, 0 for this user)
        byte[] three = codec.encode(state);
        byte[] two = Arrays.copyOf(three, three.length - 1);
        two[0] = 2;

        UserState back = codec.decode(two);

        assertThat(back.seenItems().size()).isZero();
        assertThat(back.categoryProfile()).isNull();
        assertThat(back.producedBy("v-1")).isTrue();
        assertThat(back.inactivityIndexedAtMillis()).isEqualTo(state.inactivityIndexedAtMillis());
        assertThat(back.recentInputs().size()).isEqualTo(InputRing.CAPACITY);
        assertThat(back.recentInputs().itemRow(0)).isZero();
        assertThat(codec.encode(back)).isEqualTo(three);
    }

    @Test
    void shouldKeepTheMostRecentDistinctItemsInTheSeenRing() {
        SeenItems seen = new SeenItems();
        for (int row : new int[] {1, 2, 3, 2, 4, 5}) {
            seen.add(row, 4);
        }

        int[] rows = new int[4];
        assertThat(seen.copyTo(rows)).isEqualTo(4);
        assertThat(rows).containsExactly(3, 2, 4, 5);
        seen.add(9, 0);
        assertThat(seen.size()).isEqualTo(4);
        assertThat(seen.contains(9)).isFalse();
    }

    @Test
    void shouldCarryTheInterestStateToAModelOfAnotherHiddenSize() {
        UserState state = user(true, 20, 5);

        UserState resized = state.withHiddenSize(32, SPEC);

        assertThat(resized.seenItems().size()).isEqualTo(20);
        assertThat(resized.categoryProfile()).containsExactly(state.categoryProfile());
        assertThat(resized.recentInputs().itemRow(0)).isEqualTo(state.recentInputs().itemRow(0));
    }

    @Test
    void shouldForgetRowsOfAnotherCatalogueButKeepRowsOfTheSameOne() {
        UserStateCodec codec = new UserStateCodec(SPEC);
        UserState state = codec.decode(codec.encode(user(true, 50, 33, 0x5eed)));
        assertThat(state.catalogueFingerprint()).as("fingerprint round-trips").isEqualTo(0x5eed);

        state.adoptCatalogue(0x5eed); // a retrained model with the same catalogue: rows still name the same items
        assertThat(state.seenItems().size()).isEqualTo(50);
        assertThat(state.categoryProfile()).isNotNull();
        assertThat(state.recentInputs().itemRow(state.recentInputs().size() - 1)).isEqualTo(1299);

        state.adoptCatalogue(0xbeef); // another catalogue: its row 1299 is some other item
        assertThat(state.seenItems().size()).isZero();
        assertThat(state.categoryProfile()).isNull();
        for (int age = 0; age < state.recentInputs().size(); age++) {
            assertThat(state.recentInputs().itemRow(age)).isZero();
            assertThat(state.recentInputs().categoryRow(age)).isZero();
        }
        assertThat(state.recentInputs().size()).as("the inputs themselves stay for the re-warm").isPositive();
        assertThat(state.catalogueFingerprint()).isEqualTo(0xbeef);
    }

    @Test
    void shouldKeepEnoughRecentItemsForTheCooccurrencePriorToVote() {
        // the prior's recent items come from the re-warm ring: a smaller ring would silently drop votes
        assertThat(InputRing.CAPACITY).isGreaterThanOrEqualTo(ItemCooccurrence.MAX_RECENT_ITEMS);
    }
}
