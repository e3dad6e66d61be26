package dev.mlsuite.inference.reduction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * TextMonkey's token filter (Liu et al., "TextMonkey: An OCR-Free Large Multimodal Model for
 * Understanding Document", arXiv:2403.04473): the tokens least similar to the rest carry the most
 * information, so they are kept, for example as the queries of a cross-attention resampler.
 */
public final class TokenFilter {

    private TokenFilter() {
    }

    /**
     * Returns the mean cosine similarity of each token to every other token.
     *
     * @param similarity {@code [tokens][tokens]}, such as from {@link TokenMerging#cosineSimilarity}
     */
    public static double[] redundancy(float[][] similarity) {
        int tokens = similarity.length;
        double[] redundancy = new double[tokens];
        if (tokens < 2) {
            return redundancy;
        }
        for (int i = 0; i < tokens; i++) {
            double sum = 0;
            for (int j = 0; j < tokens; j++) {
                if (j != i) {
                    sum += similarity[i][j];
                }
            }
            redundancy[i] = sum / (tokens - 1);
        }
        return redundancy;
    }

    /**
     * Selects the {@code keep} tokens with the lowest {@link #redundancy}, ties to the lower position.
     *
     * @param vectors {@code [tokens][features]}
     * @return the kept positions in increasing order
     * @throws IllegalArgumentException if {@code keep} is negative or exceeds the number of tokens
     */
    public static int[] leastRedundant(float[][] vectors, int keep) {
        if (keep < 0 || keep > vectors.length) {
            throw new IllegalArgumentException("keep " + keep + " is outside [0, " + vectors.length + "]");
        }
        double[] redundancy = redundancy(TokenMerging.cosineSimilarity(vectors));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < vectors.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> redundancy[i]).thenComparingInt(i -> i));
        return order.subList(0, keep).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
