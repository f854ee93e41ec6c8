package dev.sagaplatform.simulator.world;

import dev.sagaplatform.messaging.ids.IdGenerator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Every choice of a simulated run, drawn from its seed and nowhere else: the same seed makes the same choices in
 * the same order, which is what makes a run replayable byte for byte.
 */
public final class SimRandom implements IdGenerator {

    private final SplittableRandom random;

    public SimRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** @return true with probability {@code p} */
    public boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    /** @return a number in {@code [from, to]} */
    public long between(long from, long to) {
        return from == to ? from : random.nextLong(from, to + 1);
    }

    public int below(int bound) {
        return random.nextInt(bound);
    }

    public <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** A random (version 4) UUID from the seed. */
    @Override
    public UUID next() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
