package io.pulse.model;

/**
 * The version-2 parameters besides the LSTM and the dense heads, as the bundle holds them (row-major): the catalogue,
 * the item and category input embeddings ({@code [items, E]}, {@code [categories, C]}), each category's fallback item
 * embedding for unknown items ({@code [categories, E]}), and the next-item head ({@code W [H, items]},
 * {@code b [items]}) with its optional co-occurrence prior ({@code null} when the bundle has none), and the weight
 * of the user's category history in the next-category distribution, the weight of their category affinity in the
 * next-item ranking and their brand affinity's item brands ({@code null} when the bundle has none) and weight
 * ({@link GroupAffinity}; each weight 0 when the bundle has none). The
 * next-category head lives with the other heads' weights.
 */
record InterestWeights(Catalogue catalogue, int itemDim, int categoryDim, float[] itemEmbedding,
        float[] categoryEmbedding, float[] itemFallback, float[] nextItemW, float[] nextItemB,
        ItemCooccurrence cooccurrence, float categoryHistoryBlend, float categoryAffinityBlend,
        int[] itemBrand, float brandAffinityBlend) {
}
