package dev.mlsuite.vision.action.stclip;

/**
 * Weights of the ST-CLIP heads, each matrix {@code [dim][dim]} in the CLIP joint space, applied as
 * {@code y = W x}. Person-Context Interaction uses {@code pci*}, Context Prompting {@code prompt*}.
 *
 * @param trained true when the weights come from training; false for {@link #untrained}
 */
public record StClipHeadWeights(int dim, float[][] pciQuery, float[][] pciKey, float[][] pciValue,
        float[][] pciOutput, float[][] promptQuery, float[][] promptKey, float[][] promptValue, float[][] promptOutput,
        boolean trained) {

    public StClipHeadWeights {
        for (float[][] matrix : new float[][][] {pciQuery, pciKey, pciValue, pciOutput, promptQuery, promptKey,
                promptValue, promptOutput}) {
            if (matrix.length != dim || matrix[0].length != dim) {
                throw new IllegalArgumentException("every head matrix must be " + dim + "x" + dim + ", got "
                        + matrix.length + "x" + matrix[0].length);
            }
        }
    }

    /**
     * Returns heads without training: identity query, key and value projections and zero output
     * projections. The residual updates are then zero, so Person-Context Interaction leaves the person
     * tokens and Context Prompting leaves the label features unchanged, and the scores equal plain CLIP
     * cosine similarity. The attention maps are still the dot-product attention of the CLIP features,
     * so Interest Token Spotting picks the context tokens most similar to the person.
     */
    public static StClipHeadWeights untrained(int dim) {
        return new StClipHeadWeights(dim, identity(dim), identity(dim), identity(dim), new float[dim][dim],
                identity(dim), identity(dim), identity(dim), new float[dim][dim], false);
    }

    static float[][] identity(int dim) {
        float[][] matrix = new float[dim][dim];
        for (int i = 0; i < dim; i++) {
            matrix[i][i] = 1;
        }
        return matrix;
    }
}
