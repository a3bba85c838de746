package io.pulse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import io.pulse.model.Catalogue;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BenchCatalogueTest {

    private static final String[] SIMULATED_CATEGORIES = {"books", "electronics", "fashion", "groceries", "home",
        "sports"};

    @Test
    void shouldHaveTwelveThousandItemsInFiftyLevelTwoCategories() {
        Catalogue catalogue = BenchCatalogue.catalogue();

        assertThat(catalogue.items()).isEqualTo(BenchCatalogue.ITEMS + 1);
        assertThat(catalogue.categories()).isEqualTo(BenchCatalogue.CATEGORIES + 1);
        assertThat(catalogue.level()).isEqualTo(2);
        assertThat(catalogue.itemCategory(1)).isEqualTo(1);
        assertThat(catalogue.itemCategory(BenchCatalogue.ITEMS)).isEqualTo(BenchCatalogue.CATEGORIES);
    }

    @Test
    void shouldServeAPriorTheSizeOfBeautysWithTheCategoryAndBrandAffinitiesAndHistory() {
        LstmModel served = ModelBundles.toModel(BenchCatalogue.servedBundle("served"));

        assertThat(served.cooccurrence().entries()).isEqualTo(BenchCatalogue.ITEMS * BenchCatalogue.FOLLOWERS);
        assertThat(served.cooccurrence().blend()).isEqualTo(16f);
        assertThat(served.categoryAffinityBlend()).isEqualTo(2f);
        assertThat(served.brandAffinityBlend()).isEqualTo(8f);
        long branded = IntStream.rangeClosed(1, BenchCatalogue.ITEMS).filter(row -> BenchCatalogue.brandOf(row) > 0)
                .count();
        assertThat(branded).as("like Beauty's 62 %").isEqualTo(7_500);
        assertThat(IntStream.rangeClosed(1, BenchCatalogue.ITEMS).map(BenchCatalogue::brandOf).distinct().count())
                .as("435 brands and none").isEqualTo(BenchCatalogue.BRANDS + 1);
        assertThat(served.categoryHistoryBlend()).isEqualTo(4f);
        assertThat(served.catalogue()).isEqualTo(BenchCatalogue.catalogue());
    }

    @Test
    void shouldPutCatalogueItemsWithTheirOwnCategoryPathsOnProductEvents() {
        Catalogue catalogue = BenchCatalogue.catalogue();
        UnaryOperator<UserEvent> onCatalogue = BenchCatalogue.onCatalogue();
        Set<Integer> rows = new HashSet<>();
        for (int user = 0; user < 100; user++) {
            for (String category : SIMULATED_CATEGORIES) {
                for (int item = 0; item < 20; item++) {
                    UserEvent event = onCatalogue.apply(event("user-" + user, category + "-" + item, category));
                    int row = catalogue.itemRow(event.getItemId());

                    assertThat(row).as(event.getItemId()).isPositive();
                    assertThat(catalogue.categoryRow(event.getCategory())).as(event.getCategory())
                            .isEqualTo(catalogue.itemCategory(row));
                    assertThat(event.getCategory().split(Catalogue.SEPARATOR)).hasSize(3);
                    rows.add(row);
                }
            }
        }

        // 12,000 events spread over the catalogue, not over the simulator's 120 products of this loop
        assertThat(rows).hasSizeGreaterThan(5_000);
    }

    @Test
    void shouldMapTheSameUsersSameProductToTheSameItemAndLeaveTerminalsAlone() {
        UnaryOperator<UserEvent> onCatalogue = BenchCatalogue.onCatalogue();

        String first = onCatalogue.apply(event("user-1", "books-7", "books")).getItemId();
        String again = onCatalogue.apply(event("user-1", "books-7", "books")).getItemId();
        UserEvent payment = onCatalogue.apply(event("user-1", "terminal-42", null));

        assertThat(again).isEqualTo(first);
        assertThat(payment.getItemId()).isEqualTo("terminal-42");
        assertThat(payment.getCategory()).isNull();
    }

    private static UserEvent event(String user, String item, String category) {
        return UserEvent.newBuilder().setEventId("e").setUserId(user).setType(EventType.VIEW)
                .setEventTime(Instant.EPOCH).setItemId(item).setCategory(category).build();
    }
}
