package io.pulse.trainer.eval;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * The {@code k} best items of a score array, best first, in O(n log k) time with a k-entry heap, skipping excluded
 * items (e.g. the user's seen items). Order: higher score first; on equal scores the lower item index comes first, so
 * the result is deterministic and agrees with {@link RankingMetrics#rank}. NaN scores are refused.
 */
public final class TopK {

    private TopK() {
    }

    /** The best {@code k} items not in {@code excluded}, best first; fewer if fewer items are left. */
    public static int[] select(float[] scores, int k, BitSet excluded) {
        return select(scores, k, excluded::get);
    }

    /** The best {@code k} items for which {@code excluded} is false, best first; fewer if fewer items are left. */
    public static int[] select(float[] scores, int k, IntPredicate excluded) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0: " + k);
        }
        // a min-heap on "worse": the root is the worst of the best k seen so far
        int[] heap = new int[Math.min(k, scores.length)];
        int size = 0;
        for (int item = 0; item < scores.length; item++) {
            float score = scores[item];
            if (Float.isNaN(score)) {
                throw new IllegalArgumentException("NaN score for item " + item);
            }
            if (heap.length == 0 || excluded.test(item)) {
                continue;
            }
            if (size < heap.length) {
                heap[size] = item;
                siftUp(scores, heap, size++);
            } else if (score > scores[heap[0]]) {
                // items arrive in increasing index order, so an equal score never beats the root (lower index wins)
                heap[0] = item;
                siftDown(scores, heap, size);
            }
        }
        int[] best = Arrays.copyOf(heap, size);
        // pop the worst to the back
        for (int end = size - 1; end > 0; end--) {
            int worst = best[0];
            best[0] = best[end];
            best[end] = worst;
            siftDown(scores, best, end);
        }
        return best;
    }

    /** True if item {@code a} ranks below item {@code b}. */
    private static boolean worse(float[] scores, int a, int b) {
        return scores[a] < scores[b] || (scores[a] == scores[b] && a > b);
    }

    private static void siftUp(float[] scores, int[] heap, int position) {
        int item = heap[position];
        while (position > 0) {
            int parent = (position - 1) >>> 1;
            if (!worse(scores, item, heap[parent])) {
                break;
            }
            heap[position] = heap[parent];
            position = parent;
        }
        heap[position] = item;
    }

    private static void siftDown(float[] scores, int[] heap, int size) {
        int position = 0;
        int item = heap[0];
        while (true) {
            int child = 2 * position + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && worse(scores, heap[child + 1], heap[child])) {
                child++;
            }
            if (!worse(scores, heap[child], item)) {
                break;
            }
            heap[position] = heap[child];
            position = child;
        }
        heap[position] = item;
    }
}
