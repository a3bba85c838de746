package io.pulse.simulator.sequences;

import java.util.List;

/**
 * An item's category path from the top level down (e.g. Skin Care › Face › Creams, below the catalogue's root), never
 * empty. {@link #atLevel} cuts it at a configured level to give a stable category id such as {@code "17>23"}, which is
 * how the next-category prediction picks its granularity.
 *
 * @param levels the level names or ids, top level first; none blank
 */
public record CategoryPath(List<String> levels) {

    /** Joins the levels of a category id; {@code '>'} reads as "›" and appears in no S3-Rec attribute id. */
    public static final String SEPARATOR = ">";

    public CategoryPath {
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a category path needs at least one level");
        }
        for (String level : levels) {
            if (level.isBlank()) {
                throw new IllegalArgumentException("blank level in category path " + levels);
            }
        }
    }

    /** A path from its levels, top level first. */
    public static CategoryPath of(String... levels) {
        return new CategoryPath(List.of(levels));
    }

    /** How many levels the path has. */
    public int depth() {
        return levels.size();
    }

    /**
     * The id of the path's prefix down to {@code level} (1 = top level), or of the whole path when it is shallower:
     * an item classified only down to level 1 keeps its level-1 id at level 2, so every item has a category at every
     * level.
     *
     * @throws IllegalArgumentException if {@code level < 1}
     */
    public String atLevel(int level) {
        if (level < 1) {
            throw new IllegalArgumentException("category levels start at 1: " + level);
        }
        return String.join(SEPARATOR, levels.subList(0, Math.min(level, levels.size())));
    }

    /** The id of the whole path, e.g. {@code "17>23>41"}. */
    @Override
    public String toString() {
        return String.join(SEPARATOR, levels);
    }
}
