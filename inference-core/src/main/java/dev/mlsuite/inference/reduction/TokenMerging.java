package dev.mlsuite.inference.reduction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The matching steps of ToMe and PiToMe as pure functions over a cosine-similarity matrix of one
 * sequence's real tokens. Position 0 is the {@code [CLS]} token and is never merged.
 */
public final class TokenMerging {

    private TokenMerging() {
    }

    /**
     * Computes the cosine similarity of every pair of rows.
     *
     * @param vectors {@code [tokens][features]}
     * @return {@code [tokens][tokens]}; a zero vector has similarity 0 with every row
     */
    public static float[][] cosineSimilarity(float[][] vectors) {
        int tokens = vectors.length;
        double[] norms = new double[tokens];
        for (int i = 0; i < tokens; i++) {
            double sum = 0;
            for (float value : vectors[i]) {
                sum += (double) value * value;
            }
            norms[i] = Math.sqrt(sum);
        }
        float[][] similarity = new float[tokens][tokens];
        for (int i = 0; i < tokens; i++) {
            for (int j = i; j < tokens; j++) {
                double dot = 0;
                for (int k = 0; k < vectors[i].length; k++) {
                    dot += (double) vectors[i][k] * vectors[j][k];
                }
                double denominator = norms[i] * norms[j];
                float cosine = denominator == 0 ? 0f : (float) (dot / denominator);
                similarity[i][j] = cosine;
                similarity[j][i] = cosine;
            }
        }
        return similarity;
    }

    /**
     * Computes the PiToMe energy of tokens {@code first..n-1}: the mean over the other tokens of that
     * range of {@code f(cos(x_i, x_j))}, where {@code f(x) = x} for {@code x >= margin} and
     * {@code alpha * (exp(x - margin) - 1)} below it. A token in a dense cluster of similar tokens gets
     * a high energy; an isolated token gets a low or negative one.
     *
     * @param first index of the first token that takes part, 1 to leave out {@code [CLS]}
     * @return energies indexed like {@code similarity}; entries below {@code first} are 0
     */
    public static double[] energy(float[][] similarity, int first, double margin, double alpha) {
        int tokens = similarity.length;
        double[] energy = new double[tokens];
        int others = tokens - first - 1;
        if (others <= 0) {
            return energy;
        }
        for (int i = first; i < tokens; i++) {
            double sum = 0;
            for (int j = first; j < tokens; j++) {
                if (j != i) {
                    double x = similarity[i][j];
                    sum += x >= margin ? x : alpha * (Math.exp(x - margin) - 1);
                }
            }
            energy[i] = sum / others;
        }
        return energy;
    }

    /**
     * Plans ToMe's bipartite soft matching: tokens at even positions form set A and tokens at odd
     * positions set B; each A token finds its most similar B token, and the {@code merges} A tokens
     * with the highest such similarity are merged into their B partner. Ties go to the lower position.
     *
     * @param merges number of tokens to remove, at most {@code (n - 1) / 2} because {@code [CLS]} stays
     */
    public static MergePlan tome(float[][] similarity, int merges) {
        int tokens = similarity.length;
        List<Integer> setA = new ArrayList<>();
        List<Integer> setB = new ArrayList<>();
        for (int i = 1; i < tokens; i++) {
            (i % 2 == 0 ? setA : setB).add(i);
        }
        return bipartiteMerge(similarity, setA, setB, merges);
    }

    /**
     * Plans PiToMe: the {@code 2 * merges} tokens with the highest energy (ties to the lower
     * position) are taken in order of energy and split alternately into sets A and B; every A token is
     * merged into its most similar B token, and the low-energy tokens are kept unchanged.
     *
     * @param merges number of tokens to remove, at most {@code (n - 1) / 2} because {@code [CLS]} stays
     */
    public static MergePlan pitome(float[][] similarity, int merges, double margin, double alpha) {
        int tokens = similarity.length;
        checkMerges(tokens, merges);
        double[] energy = energy(similarity, 1, margin, alpha);
        List<Integer> byEnergy = new ArrayList<>();
        for (int i = 1; i < tokens; i++) {
            byEnergy.add(i);
        }
        byEnergy.sort(Comparator.comparingDouble((Integer i) -> -energy[i]).thenComparingInt(i -> i));

        List<Integer> setA = new ArrayList<>();
        List<Integer> setB = new ArrayList<>();
        for (int rank = 0; rank < 2 * merges; rank++) {
            (rank % 2 == 0 ? setA : setB).add(byEnergy.get(rank));
        }
        return bipartiteMerge(similarity, setA, setB, merges);
    }

    /**
     * Merges the {@code merges} tokens of {@code setA} with the highest similarity to their best
     * {@code setB} partner into that partner; every other token is kept.
     */
    static MergePlan bipartiteMerge(float[][] similarity, List<Integer> setA, List<Integer> setB, int merges) {
        checkMerges(similarity.length, merges);
        if (merges > setA.size() || (merges > 0 && setB.isEmpty())) {
            throw new IllegalArgumentException("cannot merge " + merges + " of " + setA.size()
                    + " tokens into " + setB.size() + " partners");
        }
        int[] partner = new int[similarity.length];
        double[] score = new double[similarity.length];
        for (int a : setA) {
            int best = -1;
            for (int b : setB) {
                if (best < 0 || similarity[a][b] > similarity[a][best]) {
                    best = b;
                }
            }
            partner[a] = best;
            score[a] = best < 0 ? Double.NEGATIVE_INFINITY : similarity[a][best];
        }
        List<Integer> ranked = new ArrayList<>(setA);
        ranked.sort(Comparator.comparingDouble((Integer a) -> -score[a]).thenComparingInt(a -> a));

        int[] mergedInto = new int[similarity.length];
        java.util.Arrays.fill(mergedInto, -1);
        for (int k = 0; k < merges; k++) {
            int a = ranked.get(k);
            mergedInto[a] = partner[a];
        }
        return MergePlan.fromMerges(mergedInto);
    }

    /** Returns the largest number of merges for {@code tokens} tokens when {@code [CLS]} is protected. */
    public static int maxMerges(int tokens) {
        return Math.max(0, (tokens - 1) / 2);
    }

    private static void checkMerges(int tokens, int merges) {
        if (merges < 0 || merges > maxMerges(tokens)) {
            throw new IllegalArgumentException("merges " + merges + " is outside [0, " + maxMerges(tokens)
                    + "] for " + tokens + " tokens");
        }
    }
}
