package dev.mlsuite.inference.gpt2;

/**
 * Shape and numerics of a GPT-2 decoder, named as in Hugging Face's {@code GPT2Config}.
 *
 * @param hiddenSize {@code n_embd}
 * @param numLayers {@code n_layer}
 * @param numHeads {@code n_head}
 * @param maxPositions {@code n_positions}, the context length
 * @param vocabSize {@code vocab_size}
 * @param layerNormEpsilon {@code layer_norm_epsilon}
 * @param intermediateSize {@code n_inner}, 4 * hidden when absent
 */
public record Gpt2Config(int hiddenSize, int numLayers, int numHeads, int maxPositions, int vocabSize,
        float layerNormEpsilon, int intermediateSize) {

    public Gpt2Config {
        if (hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || maxPositions <= 0 || vocabSize <= 0
                || intermediateSize <= 0) {
            throw new IllegalArgumentException("GPT-2 sizes must be positive: n_embd " + hiddenSize + ", n_layer "
                    + numLayers + ", n_head " + numHeads + ", n_positions " + maxPositions + ", vocab_size "
                    + vocabSize + ", n_inner " + intermediateSize);
        }
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("n_embd " + hiddenSize + " is not divisible by n_head " + numHeads);
        }
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }
}
