package dev.mlsuite.inference.generation;

import dev.mlsuite.inference.hooks.Hooks;
import java.util.Objects;

/**
 * One sequence's share of a batched forward pass: the tokens not yet in its cache, the cache they
 * extend, and the hooks that see this sequence's activations.
 *
 * @param tokens new token ids, at least one; their positions continue after {@code cache.length()}
 */
public record ModelInput(int[] tokens, KvCache cache, Hooks hooks) {

    public ModelInput {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(hooks, "hooks");
        if (tokens.length == 0) {
            throw new IllegalArgumentException("A model input needs at least one token");
        }
    }
}
