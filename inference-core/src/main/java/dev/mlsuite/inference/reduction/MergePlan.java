package dev.mlsuite.inference.reduction;

import java.util.Arrays;

/**
 * Where each token of one sequence goes when a layer reduces its tokens.
 *
 * @param destination for each input position, the output position it is merged into or kept at,
 *     or {@code -1} when the position is dropped (padding, or a token that a filter removes)
 * @param outputCount number of output positions; every value of {@code destination} is below it
 */
public record MergePlan(int[] destination, int outputCount) {

    public MergePlan {
        destination = destination.clone();
        for (int i = 0; i < destination.length; i++) {
            if (destination[i] < -1 || destination[i] >= outputCount) {
                throw new IllegalArgumentException("destination " + destination[i] + " of position " + i
                        + " is outside [-1, " + outputCount + ")");
            }
        }
    }

    /** Returns the plan that keeps all {@code tokens} positions in place. */
    public static MergePlan identity(int tokens) {
        int[] destination = new int[tokens];
        Arrays.setAll(destination, i -> i);
        return new MergePlan(destination, tokens);
    }

    @Override
    public int[] destination() {
        return destination.clone();
    }

    /** Returns the output position of input position {@code position}, or -1 if it is dropped. */
    public int destinationOf(int position) {
        return destination[position];
    }

    public int inputCount() {
        return destination.length;
    }

    /** Returns how many input positions each output position receives. */
    public int[] groupCounts() {
        int[] counts = new int[outputCount];
        for (int target : destination) {
            if (target >= 0) {
                counts[target]++;
            }
        }
        return counts;
    }

    /**
     * Builds a plan from the set of positions that disappear and the position each of them joins.
     * Kept positions are numbered in their input order, so the first token stays first.
     *
     * @param mergedInto for each input position, the input position it is merged into, or -1 if it is kept
     */
    static MergePlan fromMerges(int[] mergedInto) {
        int[] keptIndex = new int[mergedInto.length];
        int kept = 0;
        for (int i = 0; i < mergedInto.length; i++) {
            keptIndex[i] = mergedInto[i] < 0 ? kept++ : -1;
        }
        int[] destination = new int[mergedInto.length];
        for (int i = 0; i < mergedInto.length; i++) {
            int target = mergedInto[i] < 0 ? i : mergedInto[i];
            if (keptIndex[target] < 0) {
                throw new IllegalArgumentException("position " + i + " is merged into position " + target
                        + ", which is merged itself");
            }
            destination[i] = keptIndex[target];
        }
        return new MergePlan(destination, kept);
    }
}
