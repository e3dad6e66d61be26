package dev.mlsuite.inference.reduction;

/**
 * Decides, for one sequence at one layer, which tokens merge. The merging itself (size-weighted
 * means, sizes, masks) is done by {@link TokenReductionHook}, so a reducer is a pure function of
 * the similarities of the sequence's real tokens.
 */
@FunctionalInterface
public interface TokenReducer {

    /**
     * Plans the reduction of one sequence.
     *
     * @param similarity cosine similarity of the real tokens, {@code [tokens][tokens]}; position 0 is {@code [CLS]}
     * @param merges number of tokens to remove, in {@code [0, (tokens - 1) / 2]}
     */
    MergePlan plan(float[][] similarity, int merges);

    /** Returns the reducer of {@code settings.algorithm()}, which keeps every token for {@code none}. */
    static TokenReducer of(ReductionSettings settings) {
        return switch (settings.algorithm()) {
            case NONE -> (similarity, merges) -> MergePlan.identity(similarity.length);
            case TOME -> TokenMerging::tome;
            case PITOME -> (similarity, merges) -> TokenMerging.pitome(similarity, merges, settings.margin(),
                    settings.alpha());
        };
    }
}
