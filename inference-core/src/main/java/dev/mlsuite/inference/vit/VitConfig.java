package dev.mlsuite.inference.vit;

/**
 * Shape and numerics of a ViT encoder, named as in Hugging Face's {@code CLIPVisionConfig}.
 *
 * @param hiddenSize width of the token embeddings
 * @param intermediateSize width of the MLP
 * @param numHiddenLayers number of encoder blocks
 * @param numAttentionHeads number of attention heads
 * @param numChannels image channels, 1 for grayscale or 3 for RGB
 * @param imageSize side of the square input image in pixels
 * @param patchSize side of one square patch in pixels
 * @param layerNormEps epsilon added to the variance in layer normalisation
 */
public record VitConfig(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
        int numChannels, int imageSize, int patchSize, float layerNormEps) {

    /** Layer-norm epsilon of CLIP's vision tower. */
    public static final float DEFAULT_LAYER_NORM_EPS = 1e-5f;

    public VitConfig {
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("intermediateSize", intermediateSize);
        requirePositive("numHiddenLayers", numHiddenLayers);
        requirePositive("numAttentionHeads", numAttentionHeads);
        requirePositive("numChannels", numChannels);
        requirePositive("imageSize", imageSize);
        requirePositive("patchSize", patchSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hiddenSize " + hiddenSize + " is not divisible by numAttentionHeads "
                    + numAttentionHeads);
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("imageSize " + imageSize + " is not divisible by patchSize " + patchSize);
        }
        if (!(layerNormEps > 0f)) {
            throw new IllegalArgumentException("layerNormEps must be positive, got " + layerNormEps);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Patches along one side of the image. */
    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** Patches, and so output tokens, per image. */
    public int numPatches() {
        return patchesPerSide() * patchesPerSide();
    }
}
