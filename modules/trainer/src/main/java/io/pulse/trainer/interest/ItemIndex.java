package io.pulse.trainer.interest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * String ids to dense indices {@code 0..size-1} in order of first appearance, and back. The rankers and the score
 * arrays work on the indices; the ids only come back when something is shown or published. Not thread-safe while
 * ids are being added.
 */
public final class ItemIndex {

    private final Map<String, Integer> indices = new HashMap<>();
    private final List<String> ids = new ArrayList<>();

    /** The index of {@code id}, adding it at the end if it is new. */
    public int add(String id) {
        Integer index = indices.get(id);
        if (index != null) {
            return index;
        }
        int added = ids.size();
        indices.put(id, added);
        ids.add(id);
        return added;
    }

    /** The indices of {@code ids} in order, adding the new ones. */
    public int[] addAll(List<String> idsInOrder) {
        int[] result = new int[idsInOrder.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = add(idsInOrder.get(i));
        }
        return result;
    }

    /** The index of {@code id}, or -1 if it was never added. */
    public int indexOf(String id) {
        Integer index = indices.get(id);
        return index == null ? -1 : index;
    }

    /** The id at {@code index}. */
    public String id(int index) {
        return ids.get(index);
    }

    /** How many ids there are; the indices are {@code 0..size()-1}. */
    public int size() {
        return ids.size();
    }
}
