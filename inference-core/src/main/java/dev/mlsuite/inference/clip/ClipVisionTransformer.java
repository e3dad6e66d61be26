package dev.mlsuite.inference.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.io.Checkpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's vision tower ({@code vision_model.*}) and {@code visual_projection}: a ViT whose output
 * keeps every patch token besides the pooled class token.
 */
final class ClipVisionTransformer {

    private final ClipConfig config;
    private final NDArray patchWeight; // [hidden, 3 * patch * patch], the Conv2d kernel flattened
    private final NDArray classEmbedding; // [hidden]
    private final NDArray positionEmbedding; // [patches + 1, hidden]
    private final ClipLayerNorm preNorm;
    private final List<ClipEncoderLayer> layers;
    private final ClipLayerNorm postNorm;
    private final ClipLinear projection;

    private ClipVisionTransformer(ClipConfig config, NDArray patchWeight, NDArray classEmbedding,
            NDArray positionEmbedding, ClipLayerNorm preNorm, List<ClipEncoderLayer> layers, ClipLayerNorm postNorm,
            ClipLinear projection) {
        this.config = config;
        this.patchWeight = patchWeight;
        this.classEmbedding = classEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.preNorm = preNorm;
        this.layers = layers;
        this.postNorm = postNorm;
        this.projection = projection;
    }

    static ClipVisionTransformer load(Checkpoint checkpoint, ClipConfig config, NDManager manager) {
        ClipConfig.ClipEncoderConfig vision = config.vision();
        int hidden = vision.hiddenSize();
        int patch = config.patchSize();
        String prefix = "vision_model.";

        NDArray kernel = checkpoint.loadFloat(prefix + "embeddings.patch_embedding.weight", manager, hidden, 3, patch,
                patch);
        NDArray patchWeight = kernel.reshape(hidden, 3L * patch * patch);
        NDArray classEmbedding = checkpoint.loadFloat(prefix + "embeddings.class_embedding", manager, hidden);
        NDArray positionEmbedding = checkpoint.loadFloat(prefix + "embeddings.position_embedding.weight", manager,
                config.patchCount() + 1, hidden);
        ClipLayerNorm preNorm = ClipLayerNorm.load(checkpoint, prefix + "pre_layrnorm", hidden, vision.layerNormEps(),
                manager);
        List<ClipEncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < vision.layers(); i++) {
            layers.add(ClipEncoderLayer.load(checkpoint, prefix + "encoder.layers." + i + ".", vision, manager));
        }
        ClipLayerNorm postNorm = ClipLayerNorm.load(checkpoint, prefix + "post_layernorm", hidden,
                vision.layerNormEps(), manager);
        ClipLinear projection = ClipLinear.loadWithoutBias(checkpoint, "visual_projection", hidden,
                config.projectionDim(), manager);
        return new ClipVisionTransformer(config, patchWeight, classEmbedding, positionEmbedding, preNorm,
                List.copyOf(layers), postNorm, projection);
    }

    /**
     * Encodes normalized images.
     *
     * @param pixels {@code [batch, 3, imageSize, imageSize]}, normalized with CLIP's mean and standard deviation
     * @return {@code [imageEmbeds [batch, projection], patchEmbeds [batch, patches, projection]]}: the pooled
     *     class token and every patch token, each through {@code post_layernorm} and {@code visual_projection}
     */
    NDList forward(NDArray pixels) {
        long batch = pixels.getShape().get(0);
        int grid = config.gridSize();
        int patch = config.patchSize();
        long hidden = config.vision().hiddenSize();

        // Cutting the image into patches and multiplying by the flattened kernel equals the stride-patch Conv2d.
        NDArray patches = pixels.reshape(batch, 3, grid, patch, grid, patch)
                .transpose(0, 2, 4, 1, 3, 5)
                .reshape(batch, (long) grid * grid, 3L * patch * patch);
        NDArray patchTokens = patches.matMul(patchWeight.transpose()); // [batch, patches, hidden]
        NDArray classToken = classEmbedding.reshape(1, 1, hidden).broadcast(batch, 1, hidden);
        NDArray hiddenStates = NDArrays.concat(new NDList(classToken, patchTokens), 1).add(positionEmbedding);

        hiddenStates = preNorm.apply(hiddenStates);
        for (ClipEncoderLayer layer : layers) {
            hiddenStates = layer.forward(hiddenStates, null);
        }

        NDArray normed = postNorm.apply(hiddenStates); // [batch, patches + 1, hidden]
        NDArray projected = projection.apply(normed); // [batch, patches + 1, projection]
        NDArray imageEmbeds = projected.get(":, 0, :");
        NDArray patchEmbeds = projected.get(":, 1:, :");
        return new NDList(imageEmbeds, patchEmbeds);
    }
}
