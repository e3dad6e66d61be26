package dev.mlsuite.inference.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.io.Checkpoint;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.HfConfig;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CLIP model in the Hugging Face {@code CLIPModel} layout: image and text encoders, their projections
 * into the joint space, and the learned logit scale.
 *
 * <p>The weights live in a manager owned by the model until {@link #close()}. Every call creates its
 * arrays in a sub-manager closed before it returns and hands back plain Java arrays, so instances are
 * safe for concurrent calls.
 */
public final class ClipModel implements AutoCloseable {

    /** Per-channel RGB mean of CLIP's image preprocessing ({@code CLIPImageProcessor.image_mean}). */
    public static final float[] IMAGE_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** Per-channel RGB standard deviation of CLIP's image preprocessing ({@code CLIPImageProcessor.image_std}). */
    public static final float[] IMAGE_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    public static final String TOKENIZER_FILE_NAME = "tokenizer.json";

    private static final Logger log = LoggerFactory.getLogger(ClipModel.class);

    private final String name;
    private final ClipConfig config;
    private final ClipVisionTransformer vision;
    private final ClipTextTransformer text;
    private final float logitScale;
    private final HfTokenizer tokenizer;
    private final NDManager weights;
    private final long parameterCount;

    private ClipModel(String name, ClipConfig config, ClipVisionTransformer vision, ClipTextTransformer text,
            float logitScale, HfTokenizer tokenizer, NDManager weights, long parameterCount) {
        this.name = name;
        this.config = config;
        this.vision = vision;
        this.text = text;
        this.logitScale = logitScale;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.parameterCount = parameterCount;
    }

    /**
     * Loads a model directory: {@code config.json}, {@code model.safetensors} (or an index with shards)
     * and {@code tokenizer.json}. Texts are truncated to {@code max_position_embeddings} tokens.
     *
     * @param device where the weights live and the forward passes run
     * @throws CheckpointException if a file is missing, or a tensor is missing or has the wrong shape;
     *     the message names the file or tensor
     */
    public static ClipModel load(Path directory, Device device) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new CheckpointException("CLIP model directory not found: " + directory.toAbsolutePath());
        }
        ClipConfig config = ClipConfig.from(HfConfig.read(directory));
        Path tokenizerFile = directory.resolve(TOKENIZER_FILE_NAME);
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new CheckpointException("tokenizer not found: " + tokenizerFile.toAbsolutePath());
        }

        long start = System.nanoTime();
        HfTokenizer tokenizer = HfTokenizer.load(tokenizerFile, config.maxPositionEmbeddings());
        NDManager weights = NDManager.newBaseManager(device, InferenceEngine.ENGINE_NAME);
        try (Checkpoint checkpoint = new Checkpoint(Safetensors.open(directory))) {
            ClipVisionTransformer vision = ClipVisionTransformer.load(checkpoint, config, weights);
            ClipTextTransformer text = ClipTextTransformer.load(checkpoint, config, weights);
            NDArray scale = checkpoint.loadFloat("logit_scale", weights);
            if (scale.size() != 1) {
                throw new CheckpointException(checkpoint.description() + ": tensor 'logit_scale' has shape "
                        + scale.getShape() + ", expected a single value");
            }
            float logitScale = (float) Math.exp(scale.toFloatArray()[0]);

            long parameters = weights.getManagedArrays().stream().mapToLong(NDArray::size).sum();
            log.info("Loaded CLIP model {}: vision {} layers x {}, patch {}, image {}; text {} layers x {}; "
                    + "projection {}; {} parameters, device {}, {} ms", directory, config.vision().layers(),
                    config.vision().hiddenSize(), config.patchSize(), config.imageSize(), config.text().layers(),
                    config.text().hiddenSize(), config.projectionDim(), parameters, weights.getDevice(),
                    (System.nanoTime() - start) / 1_000_000);
            Set<String> unread = checkpoint.unreadNames();
            if (!unread.isEmpty()) {
                log.info("{}: {} tensors not used by the model: {}", directory, unread.size(), unread);
            }
            return new ClipModel(directory.toString(), config, vision, text, logitScale, tokenizer, weights,
                    parameters);
        } catch (RuntimeException e) {
            weights.close();
            tokenizer.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public ClipConfig config() {
        return config;
    }

    /** Returns the number of scalar weights and biases. */
    public long parameterCount() {
        return parameterCount;
    }

    /** Returns {@code exp(logit_scale)}, the factor CLIP applies to cosine similarities before a softmax. */
    public float logitScale() {
        return logitScale;
    }

    /** Returns the token ids of a text with the start and end tokens, truncated to {@code max_position_embeddings}. */
    public long[] tokenize(String textInput) {
        return tokenizer.encode(textInput);
    }

    /**
     * Returns the projected text embedding of each text, {@code [texts][projection]}, pooled at the
     * end-of-text token: the position of the largest id, as {@code transformers} does for the OpenAI
     * vocabularies, where {@code <|endoftext|>} has the largest id.
     */
    public float[][] encodeText(List<String> texts) {
        float[][] embeddings = new float[texts.size()][];
        try (NDManager scope = weights.newSubManager()) {
            for (int i = 0; i < texts.size(); i++) {
                long[] ids = tokenize(texts.get(i));
                NDArray idArray = scope.create(ids, new Shape(1, ids.length));
                NDArray hidden = text.hiddenStates(idArray);
                embeddings[i] = text.project(hidden, new int[] {endOfTextPosition(ids)}).toFloatArray();
            }
        }
        return embeddings;
    }

    /** Returns the text tower's hidden states after {@code final_layer_norm}, {@code [tokens][hidden]}. */
    public float[][] textHiddenStates(long[] ids) {
        if (ids.length == 0 || ids.length > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("expected 1 to " + config.maxPositionEmbeddings() + " token ids, got "
                    + ids.length);
        }
        try (NDManager scope = weights.newSubManager()) {
            NDArray hidden = text.hiddenStates(scope.create(ids, new Shape(1, ids.length)));
            float[] flat = hidden.toFloatArray();
            int width = config.text().hiddenSize();
            float[][] rows = new float[ids.length][width];
            for (int t = 0; t < ids.length; t++) {
                System.arraycopy(flat, t * width, rows[t], 0, width);
            }
            return rows;
        }
    }

    /**
     * Encodes normalized images.
     *
     * @param pixels {@code [batch, 3, imageSize, imageSize]} flattened, RGB, each channel normalized with
     *     {@link #IMAGE_MEAN} and {@link #IMAGE_STD}
     */
    public ClipImageFeatures encodeImages(float[] pixels, int batch) {
        int size = config.imageSize();
        if (batch < 1 || pixels.length != batch * 3 * size * size) {
            throw new IllegalArgumentException("expected " + batch + " x 3 x " + size + " x " + size
                    + " pixel values, got " + pixels.length);
        }
        int projection = config.projectionDim();
        int patchCount = config.patchCount();
        try (NDManager scope = weights.newSubManager()) {
            NDList output = vision.forward(scope.create(pixels, new Shape(batch, 3, size, size)));
            float[] pooled = output.get(0).toFloatArray();
            float[] patches = output.get(1).toFloatArray();

            float[][] imageEmbeds = new float[batch][projection];
            float[][][] patchEmbeds = new float[batch][patchCount][projection];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(pooled, b * projection, imageEmbeds[b], 0, projection);
                for (int p = 0; p < patchCount; p++) {
                    System.arraycopy(patches, (b * patchCount + p) * projection, patchEmbeds[b][p], 0, projection);
                }
            }
            return new ClipImageFeatures(imageEmbeds, patchEmbeds, config.gridSize());
        }
    }

    /** Returns the index of the first occurrence of the largest id. */
    static int endOfTextPosition(long[] ids) {
        int position = 0;
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] > ids[position]) {
                position = i;
            }
        }
        return position;
    }

    @Override
    public void close() {
        weights.close();
        tokenizer.close();
    }
}
