package io.pulse.simulator.sequences;

import java.util.Objects;
import java.util.Optional;

/**
 * What an item file says about one item.
 *
 * @param item the item id as written in the file
 * @param brand the item's brand when the file has one for it
 * @param category the item's category path
 */
public record ItemAttributes(String item, Optional<String> brand, CategoryPath category) {

    public ItemAttributes {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(category, "category");
    }
}
