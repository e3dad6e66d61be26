package dev.mlsuite.inference.generation;

/**
 * Random numbers of one sequence's sampler, whose whole state is one {@code long} so it can be
 * serialised and restored exactly. The generator is xorshift64* (Vigna, "An experimental
 * exploration of Marsaglia's xorshift generators, scrambled", 2016), seeded through SplitMix64.
 */
public final class SamplerRandom {

    private long state;

    private SamplerRandom(long state) {
        this.state = state;
    }

    /** Creates the generator for {@code seed}; every seed, 0 included, gives a valid non-zero state. */
    public static SamplerRandom fromSeed(long seed) {
        long mixed = splitMix64(seed);
        return new SamplerRandom(mixed == 0 ? 0x9E3779B97F4A7C15L : mixed);
    }

    /** Restores a generator from {@link #state()}. */
    public static SamplerRandom fromState(long state) {
        if (state == 0) {
            throw new IllegalArgumentException("A xorshift state must not be 0");
        }
        return new SamplerRandom(state);
    }

    public long state() {
        return state;
    }

    /** Returns a uniform float in {@code [0, 1)} with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    private long nextLong() {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return state * 0x2545F4914F6CDD1DL;
    }

    private static long splitMix64(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
