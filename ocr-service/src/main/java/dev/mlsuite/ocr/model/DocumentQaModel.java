package dev.mlsuite.ocr.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.io.Checkpoint;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.llama.LlamaModel;
import dev.mlsuite.inference.vit.Linear;
import dev.mlsuite.inference.vit.ShiftedWindowAttention;
import dev.mlsuite.inference.vit.TokenResampler;
import dev.mlsuite.inference.vit.VitEncoder;
import dev.mlsuite.inference.vit.VitWeights;
import dev.mlsuite.inference.vit.WindowGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * OCR-free document question answering in the style of TextMonkey: the page is cut into windows,
 * a ViT encodes each window, shifted-window attention connects neighbouring windows, the
 * similarity filter keeps the least redundant image tokens as queries of a cross-attention
 * resampler over all tokens, and the resampled tokens, projected to the decoder width, prefix the
 * question of a LLaMA decoder that writes the answer character by character.
 *
 * <p>Parameter names: {@code vision_model.*} (CLIP-style ViT), {@code window_embedding.weight},
 * {@code shifted_window_layers.{i}.*}, {@code resampler.*}, {@code multi_modal_projector.*} and
 * {@code language_model.*} (Hugging Face LLaMA names). The model owns {@code manager}.
 */
public final class DocumentQaModel implements AutoCloseable {

    public static final String WEIGHTS_FILE = Safetensors.SINGLE_FILE_NAME;

    private final DocumentQaConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final VitEncoder vision;
    private final NDArray windowEmbedding; // [windows, visionHidden]
    private final List<ShiftedWindowAttention> shiftedWindowLayers;
    private final TokenResampler resampler;
    private final Linear projector;
    private final LlamaModel decoder;

    private DocumentQaModel(DocumentQaConfig config, NDManager manager, BiFunction<String, Shape, NDArray> source) {
        this.config = config;
        this.manager = manager;
        this.parameters = new TreeMap<>();
        VitWeights weights = (name, shape) -> parameters.computeIfAbsent(name, key -> checked(key, shape,
                source.apply(key, shape)));
        WindowGrid grid = config.windowGrid();
        int visionHidden = config.vision().hiddenSize();

        this.vision = new VitEncoder(config.vision(), weights.withPrefix("vision_model."));
        this.windowEmbedding = weights.require("window_embedding.weight", new Shape(grid.windows(), visionHidden));
        this.shiftedWindowLayers = new ArrayList<>();
        for (int layer = 0; layer < config.shiftedWindowLayers(); layer++) {
            shiftedWindowLayers.add(new ShiftedWindowAttention(weights, "shifted_window_layers." + layer,
                    config.vision(), grid));
        }
        this.resampler = new TokenResampler(weights, "resampler", config.vision());
        this.projector = new Linear(weights, "multi_modal_projector", visionHidden, config.decoder().hiddenSize());
        this.decoder = new LlamaModel("document-qa-decoder", config.decoder(),
                (name, shape) -> weights.require("language_model." + name, shape), manager);
    }

    private static NDArray checked(String name, Shape expected, NDArray array) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException("Tensor " + name + " has shape " + array.getShape() + ", expected "
                    + expected);
        }
        return array;
    }

    /**
     * Creates a model with random weights: normal(0, 0.02) matrices, zero biases, unit norm scales,
     * and zero output projections in the shifted-window blocks so that they start as the identity.
     */
    public static DocumentQaModel initialise(DocumentQaConfig config, long seed, NDManager manager) {
        Random random = new Random(seed);
        return new DocumentQaModel(config, manager, (name, shape) -> {
            boolean normScale = name.endsWith("norm.weight") || name.endsWith("layernorm.weight")
                    || name.matches(".*(layer_norm\\d?|_norm)\\.weight");
            boolean identityStart = name.startsWith("shifted_window_layers.")
                    && (name.contains("self_attn.out_proj.") || name.contains("mlp.fc2."));
            float[] values = new float[(int) shape.size()];
            if (normScale) {
                java.util.Arrays.fill(values, 1f);
            } else if (!name.endsWith(".bias") && !identityStart) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * 0.02);
                }
            }
            return manager.create(values, shape);
        });
    }

    /** Loads {@code config.json} and {@code model.safetensors} from {@code directory}. */
    public static DocumentQaModel load(Path directory, NDManager manager) throws IOException {
        DocumentQaConfig config = DocumentQaConfig.read(directory);
        Path weightsFile = directory.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weightsFile)) {
            throw new IOException("Model weights not found: " + weightsFile.toAbsolutePath());
        }
        try (Checkpoint checkpoint = new Checkpoint(Safetensors.open(weightsFile))) {
            DocumentQaModel model = new DocumentQaModel(config, manager,
                    (name, shape) -> checkpoint.loadFloat(name, manager, shape.getShape()));
            if (!checkpoint.unreadNames().isEmpty()) {
                throw new IOException("Unexpected tensors in " + weightsFile + ": " + checkpoint.unreadNames());
            }
            return model;
        }
    }

    /** Writes {@code config.json} and {@code model.safetensors} into {@code directory}. */
    public void save(Path directory, Map<String, String> metadata) throws IOException {
        Files.createDirectories(directory);
        config.write(directory);
        Safetensors.write(directory.resolve(WEIGHTS_FILE), parameters, metadata);
    }

    public DocumentQaConfig config() {
        return config;
    }

    /** Trainable arrays by name, in name order. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    public long parameterCount() {
        return parameters.values().stream().mapToLong(NDArray::size).sum();
    }

    /**
     * Encodes pages into decoder prefixes.
     *
     * @param pixels {@code [batch, 1, imageHeight, imageWidth]} from {@link DocumentImages#toPixels}
     * @param keptTokens image tokens the filter keeps; with the question and answer limits they must
     *     fit the decoder's {@code max_position_embeddings}
     * @return {@code [batch, keptTokens, decoderHidden]}
     */
    public NDArray encodeImage(NDArray pixels, int keptTokens) {
        return encodeImage(pixels, keptTokens, QuerySelection.FILTER);
    }

    /**
     * Encodes pages into decoder prefixes with the resampler queries made by {@code selection}; the
     * shipped model was trained with {@link QuerySelection#FILTER}.
     *
     * @return {@code [batch, keptTokens, decoderHidden]}
     */
    public NDArray encodeImage(NDArray pixels, int keptTokens, QuerySelection selection) {
        int longestSequence = keptTokens + config.maxQuestionChars() + config.maxAnswerChars() + 3;
        if (longestSequence > config.decoder().maxPositionEmbeddings()) {
            throw new IllegalArgumentException(keptTokens + " kept tokens leave too few decoder positions: "
                    + longestSequence + " needed, " + config.decoder().maxPositionEmbeddings() + " available");
        }
        long batch = pixels.getShape().get(0);
        WindowGrid grid = config.windowGrid();
        int visionHidden = config.vision().hiddenSize();

        NDArray windows = grid.cutImage(pixels, config.windowSize()); // [batch * windows, 1, side, side]
        NDArray windowPositions = windowEmbedding.expandDims(1); // [windows, 1, hidden], a view
        windowPositions.attach(pixels.getManager());
        NDArray windowTokens = vision.forward(windows) // [batch * windows, tokensPerWindow, hidden]
                .reshape(batch, grid.windows(), grid.tokensPerWindow(), visionHidden)
                .add(windowPositions)
                .reshape(batch * grid.windows(), grid.tokensPerWindow(), visionHidden);
        for (ShiftedWindowAttention layer : shiftedWindowLayers) {
            windowTokens = layer.forward(windowTokens);
        }

        NDArray tokens = windowTokens.reshape(batch, (long) grid.windows() * grid.tokensPerWindow(), visionHidden);
        NDArray queries = selection.queries(tokens, keptTokens, config.filterScore()); // [batch, keptTokens, hidden]
        return projector.forward(resampler.forward(queries, tokens));
    }

    /**
     * Returns next-token logits for every text position: {@code prefix [batch, k, hidden]} followed
     * by the embeddings of {@code textIds [batch, tokens]} gives {@code [batch, tokens, vocab]},
     * where row {@code t} predicts text token {@code t + 1}.
     */
    public NDArray textLogits(NDArray prefix, NDArray textIds) {
        long prefixLength = prefix.getShape().get(1);
        NDArray embeddings = NDArrays.concat(new NDList(prefix, decoder.embed(textIds)), 1);
        NDArray logits = decoder.forwardEmbeddings(embeddings); // [batch, k + tokens, vocab]
        return logits.get(":, " + (prefixLength - 1) + ":-1");
    }

    /** Ids of {@code BOS question SEP}, the prompt whose continuation is the answer. */
    public int[] promptIds(String question) {
        int[] questionIds = CharVocabulary.encode(question, config.maxQuestionChars());
        int[] ids = new int[questionIds.length + 2];
        ids[0] = CharVocabulary.BOS;
        System.arraycopy(questionIds, 0, ids, 1, questionIds.length);
        ids[ids.length - 1] = CharVocabulary.SEP;
        return ids;
    }

    /**
     * Writes the answer to {@code question} greedily after {@code prefix [1, k, hidden]}, stopping at
     * the end token or {@link DocumentQaConfig#maxAnswerChars()}.
     *
     * <p>NOTE: each step reruns the whole sequence because the runtime's KV cache takes token ids,
     * not input embeddings; with answers of at most a few hundred tokens this costs milliseconds
     * per step on a model of this size.
     */
    public GeneratedAnswer generate(NDArray prefix, String question) {
        NDManager scope = prefix.getManager();
        List<Integer> ids = new ArrayList<>();
        for (int id : promptIds(question)) {
            ids.add(id);
        }
        StringBuilder answer = new StringBuilder();
        double logProbabilitySum = 0;
        int generated = 0;
        while (generated < config.maxAnswerChars() + 1) {
            long[] row = ids.stream().mapToLong(Integer::longValue).toArray();
            NDArray logits = textLogits(prefix, scope.create(row, new Shape(1, row.length)));
            NDArray last = logits.get("0, -1").toType(DataType.FLOAT32, false).logSoftmax(-1); // [vocab]
            int next = (int) last.argMax().getLong();
            logProbabilitySum += last.getFloat(next);
            generated++;
            if (next == CharVocabulary.EOS) {
                break;
            }
            Character character = CharVocabulary.character(next);
            if (character != null) {
                answer.append(character);
            }
            ids.add(next);
        }
        return new GeneratedAnswer(answer.toString().trim(), Math.exp(logProbabilitySum / generated));
    }

    /**
     * A generated answer.
     *
     * @param confidence geometric mean of the probabilities of the generated tokens, end token included
     */
    public record GeneratedAnswer(String text, double confidence) {
    }

    @Override
    public void close() {
        manager.close();
    }
}
