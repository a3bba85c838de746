package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalogue's fingerprint: what per-user state records to know whose rows it holds. */
class CatalogueFingerprintTest {

    private static Catalogue catalogue(List<String> items, int[] itemCategory) {
        return new Catalogue(items, List.of(Catalogue.UNKNOWN_CATEGORY, "1>2", "1>3"), itemCategory, 2);
    }

    @Test
    void shouldKeepTheFingerprintStableAcrossJvmsAndBuilds() {
        // computed independently (Python, from the Java specification of String, List and Arrays hash codes):
        // 31 * (31 * (31 * items.hashCode() + categories.hashCode()) + Arrays.hashCode(itemCategory)) + level
        Catalogue catalogue = catalogue(List.of(Catalogue.OOV_ITEM, "a", "b", "c"), new int[] {0, 1, 2, 1});

        assertThat(catalogue.fingerprint()).isEqualTo(-754_482_190);
    }

    @Test
    void shouldTellCataloguesThatNumberTheirRowsDifferentlyApart() {
        Catalogue original = catalogue(List.of(Catalogue.OOV_ITEM, "a", "b", "c"), new int[] {0, 1, 2, 1});
        Catalogue same = catalogue(List.of(Catalogue.OOV_ITEM, "a", "b", "c"), new int[] {0, 1, 2, 1});
        Catalogue reordered = catalogue(List.of(Catalogue.OOV_ITEM, "b", "a", "c"), new int[] {0, 2, 1, 1});
        Catalogue recategorised = catalogue(List.of(Catalogue.OOV_ITEM, "a", "b", "c"), new int[] {0, 1, 1, 1});

        assertThat(same.fingerprint()).isEqualTo(original.fingerprint());
        assertThat(reordered.fingerprint()).isNotEqualTo(original.fingerprint());
        assertThat(recategorised.fingerprint()).isNotEqualTo(original.fingerprint());
    }
}
