package io.pulse.simulator.sequences;

import java.util.List;
import java.util.Objects;

/**
 * One user's items in the order of the file (which, for the public data sets, is time order).
 *
 * @param user the user id as written in the file
 * @param items the item ids in file order, never empty; repeats are kept (some domains have repeat consumption)
 */
public record UserSequence(String user, List<String> items) {

    public UserSequence {
        Objects.requireNonNull(user, "user");
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a user sequence needs at least one item: " + user);
        }
    }
}
