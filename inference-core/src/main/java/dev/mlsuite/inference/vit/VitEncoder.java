package dev.mlsuite.inference.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * ViT encoder with CLIP's parameter names: a patch embedding ({@code embeddings.patch_embedding},
 * a convolution with stride equal to its kernel, computed here as a matrix product over
 * flattened patches), learned position embeddings ({@code embeddings.position_embedding}), encoder
 * blocks ({@code encoder.layers.{i}}) and a final {@code post_layernorm}.
 *
 * <p>NOTE: unlike CLIP there is no class token and no {@code pre_layrnorm}, because the callers
 * here need one output per patch. A CLIP checkpoint therefore does not load unchanged yet.
 */
public final class VitEncoder {

    private final VitConfig config;
    private final NDArray patchEmbedding; // [hidden, channels, patch, patch]
    private final NDArray positionEmbedding; // [patches, hidden]
    private final List<VitEncoderLayer> layers;
    private final LayerNorm postLayerNorm;

    public VitEncoder(VitConfig config, VitWeights weights) {
        this.config = Objects.requireNonNull(config, "config");
        int hidden = config.hiddenSize();
        this.patchEmbedding = weights.require("embeddings.patch_embedding.weight",
                new Shape(hidden, config.numChannels(), config.patchSize(), config.patchSize()));
        this.positionEmbedding = weights.require("embeddings.position_embedding.weight",
                new Shape(config.numPatches(), hidden));
        this.layers = new ArrayList<>(config.numHiddenLayers());
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            layers.add(new VitEncoderLayer(weights, "encoder.layers." + layer, config));
        }
        this.postLayerNorm = new LayerNorm(weights, "post_layernorm", hidden, config.layerNormEps());
    }

    public VitConfig config() {
        return config;
    }

    /**
     * Encodes {@code pixels [batch, channels, imageSize, imageSize]} into one token per patch,
     * {@code [batch, patches, hidden]}, patches in row-major order.
     */
    public NDArray forward(NDArray pixels) {
        Shape shape = pixels.getShape();
        int side = config.imageSize();
        if (shape.dimension() != 4 || shape.get(1) != config.numChannels() || shape.get(2) != side
                || shape.get(3) != side) {
            throw new IllegalArgumentException("pixels must be [batch, " + config.numChannels() + ", " + side + ", "
                    + side + "], got " + shape);
        }
        NDArray hidden = embedPatches(pixels).add(positionEmbedding);
        for (VitEncoderLayer layer : layers) {
            hidden = layer.forward(hidden, null);
        }
        return postLayerNorm.forward(hidden);
    }

    /** Cuts {@code pixels} into patches and projects each one: {@code [batch, patches, hidden]}. */
    NDArray embedPatches(NDArray pixels) {
        long batch = pixels.getShape().get(0);
        int channels = config.numChannels();
        int grid = config.patchesPerSide();
        int patch = config.patchSize();

        NDArray patches = pixels.reshape(batch, channels, grid, patch, grid, patch)
                .transpose(0, 2, 4, 1, 3, 5) // [batch, gridRow, gridColumn, channels, patch, patch]
                .reshape(batch, (long) grid * grid, (long) channels * patch * patch);
        NDArray kernel = patchEmbedding.reshape(config.hiddenSize(), (long) channels * patch * patch);
        kernel.attach(pixels.getManager()); // a view of the weight, freed with the call's arrays
        return patches.matMul(kernel.transpose());
    }
}
