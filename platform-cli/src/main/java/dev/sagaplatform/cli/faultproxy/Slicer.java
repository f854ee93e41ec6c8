package dev.sagaplatform.cli.faultproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** How the slicer toxic cuts a chunk: halves it again and again, the cut moved by up to ± size_variation. */
final class Slicer {

    private Slicer() {
    }

    /** The sizes of the pieces a chunk of {@code length} bytes is cut into; they add up to {@code length}. */
    static List<Integer> sizes(int length, long averageSize, long sizeVariation) {
        List<Integer> sizes = new ArrayList<>();
        cut(0, length, averageSize, Math.min(sizeVariation, Integer.MAX_VALUE / 2), sizes);
        return sizes;
    }

    private static void cut(int start, int end, long averageSize, long sizeVariation, List<Integer> sizes) {
        int length = end - start;
        if (length == 0) {
            return;
        }
        if (length - averageSize <= sizeVariation || length == 1) {
            sizes.add(length);
            return;
        }
        long middle = start + length / 2;
        if (sizeVariation > 0) {
            middle += ThreadLocalRandom.current().nextLong(-sizeVariation, sizeVariation);
        }
        // Unlike Toxiproxy, keep the cut inside the chunk however large the variation is.
        int cutAt = (int) Math.max(start + 1, Math.min(end - 1, middle));
        cut(start, cutAt, averageSize, sizeVariation, sizes);
        cut(cutAt, end, averageSize, sizeVariation, sizes);
    }
}
