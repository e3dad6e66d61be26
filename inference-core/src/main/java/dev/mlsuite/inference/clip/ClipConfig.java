package dev.mlsuite.inference.clip;

import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.HfConfig;

/**
 * Hyperparameters of a Hugging Face {@code CLIPModel} ({@code config.json} with {@code text_config}
 * and {@code vision_config}). Absent keys take the defaults of {@code transformers}' {@code CLIPConfig},
 * which are those of openai/clip-vit-base-patch32.
 *
 * @param text           the text transformer
 * @param vision         the vision transformer
 * @param projectionDim  width of the joint image-text embedding space
 */
public record ClipConfig(ClipEncoderConfig text, ClipEncoderConfig vision, int imageSize, int patchSize,
        int vocabSize, int maxPositionEmbeddings, int projectionDim) {

    public ClipConfig {
        if (imageSize % patchSize != 0) {
            throw new CheckpointException("vision_config image_size " + imageSize + " is not a multiple of patch_size "
                    + patchSize);
        }
    }

    /** Reads the configuration; absent keys take {@code transformers}' defaults. */
    public static ClipConfig from(HfConfig config) {
        HfConfig text = config.section("text_config");
        HfConfig vision = config.section("vision_config");
        ClipEncoderConfig textEncoder = ClipEncoderConfig.from(text, 512, 2048, 12, 8);
        ClipEncoderConfig visionEncoder = ClipEncoderConfig.from(vision, 768, 3072, 12, 12);
        int channels = vision.intOr("num_channels", 3);
        if (channels != 3) {
            throw new CheckpointException(vision.description() + ": num_channels is " + channels
                    + ", but only RGB (3) images are supported");
        }
        return new ClipConfig(textEncoder, visionEncoder, vision.intOr("image_size", 224),
                vision.intOr("patch_size", 32), text.intOr("vocab_size", 49408),
                text.intOr("max_position_embeddings", 77), config.intOr("projection_dim", 512));
    }

    /** Patches per image side. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Patch tokens per image, without the class token. */
    public int patchCount() {
        return gridSize() * gridSize();
    }

    /**
     * Sizes of one transformer tower.
     *
     * @param activation {@code quick_gelu} ({@code x * sigmoid(1.702 x)}, CLIP's default) or {@code gelu}
     */
    public record ClipEncoderConfig(int hiddenSize, int intermediateSize, int layers, int heads, String activation,
            double layerNormEps) {

        public ClipEncoderConfig {
            if (hiddenSize % heads != 0) {
                throw new CheckpointException("hidden_size " + hiddenSize + " is not divisible by num_attention_heads "
                        + heads);
            }
            if (!activation.equals("quick_gelu") && !activation.equals("gelu")) {
                throw new CheckpointException("hidden_act '" + activation + "' is not supported; expected quick_gelu"
                        + " or gelu");
            }
        }

        static ClipEncoderConfig from(HfConfig section, int hidden, int intermediate, int layers, int heads) {
            return new ClipEncoderConfig(section.intOr("hidden_size", hidden),
                    section.intOr("intermediate_size", intermediate), section.intOr("num_hidden_layers", layers),
                    section.intOr("num_attention_heads", heads), section.stringOr("hidden_act", "quick_gelu"),
                    section.doubleOr("layer_norm_eps", 1e-5));
        }

        public int headSize() {
            return hiddenSize / heads;
        }
    }
}
