package dev.mlsuite.inference.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.generation.CausalLanguageModel;
import dev.mlsuite.inference.generation.KvCache;
import dev.mlsuite.inference.generation.ModelInput;
import dev.mlsuite.inference.generation.PaddingSide;
import dev.mlsuite.inference.hooks.HookPoints;
import dev.mlsuite.inference.hooks.Hooks;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * LLaMA decoder ({@code LlamaForCausalLM}) as DJL NDArray code: token embedding, decoder layers of
 * RMSNorm, rotary grouped-query attention and SwiGLU MLP, a final RMSNorm and the language-model head.
 *
 * <p>Hook points {@code blocks.{i}.hook_resid_pre} and {@code blocks.{i}.hook_resid_post} see the
 * residual stream before and after block {@code i}. When the inputs of one batch carry different
 * hooks, each group of rows runs through its own hooks.
 *
 * <p>The model owns its manager and the weights in it; {@link #close()} frees them.
 */
public final class LlamaModel implements CausalLanguageModel {

    private final String name;
    private final LlamaConfig config;
    private final NDManager manager;
    private final NDArray embedTokens; // [vocab, hidden]
    private final List<LlamaDecoderLayer> layers;
    private final RmsNorm finalNorm;
    private final NDArray lmHead; // [vocab, hidden], transposed per call so that training reaches it
    private final RotaryEmbedding rotary;

    /**
     * Builds the model from weights named as in Hugging Face checkpoints.
     *
     * @param manager owner of the weights, closed with the model
     * @throws dev.mlsuite.inference.engine.EngineStartupException when a tensor is missing or has the wrong shape
     */
    public LlamaModel(String name, LlamaConfig config, LlamaWeights weights, NDManager manager) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.manager = Objects.requireNonNull(manager, "manager");
        int hidden = config.hiddenSize();
        int queryDim = config.numAttentionHeads() * config.headDim();
        int keyValueDim = config.numKeyValueHeads() * config.headDim();
        int intermediate = config.intermediateSize();

        this.rotary = new RotaryEmbedding(config.headDim(), config.ropeTheta(), config.ropeStyle());
        this.embedTokens = weights.require(LlamaNames.EMBED_TOKENS, new Shape(config.vocabSize(), hidden));
        this.layers = new ArrayList<>(config.numHiddenLayers());
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            LlamaAttention attention = new LlamaAttention(layer, config,
                    weights.require(LlamaNames.queryProjection(layer), new Shape(queryDim, hidden)),
                    weights.require(LlamaNames.keyProjection(layer), new Shape(keyValueDim, hidden)),
                    weights.require(LlamaNames.valueProjection(layer), new Shape(keyValueDim, hidden)),
                    weights.require(LlamaNames.outputProjection(layer), new Shape(hidden, queryDim)),
                    rotary);
            LlamaMlp mlp = new LlamaMlp(
                    weights.require(LlamaNames.gateProjection(layer), new Shape(intermediate, hidden)),
                    weights.require(LlamaNames.upProjection(layer), new Shape(intermediate, hidden)),
                    weights.require(LlamaNames.downProjection(layer), new Shape(hidden, intermediate)));
            layers.add(new LlamaDecoderLayer(
                    new RmsNorm(weights.require(LlamaNames.inputLayerNorm(layer), new Shape(hidden)), config.rmsNormEps()),
                    attention,
                    new RmsNorm(weights.require(LlamaNames.postAttentionLayerNorm(layer), new Shape(hidden)),
                            config.rmsNormEps()),
                    mlp));
        }
        this.finalNorm = new RmsNorm(weights.require(LlamaNames.FINAL_NORM, new Shape(hidden)), config.rmsNormEps());
        String lmHeadName = config.tieWordEmbeddings() ? LlamaNames.EMBED_TOKENS : LlamaNames.LM_HEAD;
        this.lmHead = weights.require(lmHeadName, new Shape(config.vocabSize(), hidden));
    }

    public LlamaConfig config() {
        return config;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int maxSequenceLength() {
        return config.maxPositionEmbeddings();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public KvCache newCache() {
        return new KvCache(manager.newSubManager(), config.numHiddenLayers(), config.numKeyValueHeads(),
                config.headDim());
    }

    @Override
    public NDArray forward(NDManager scope, List<ModelInput> inputs, PaddingSide padding) {
        BatchLayout layout = checkedLayout(inputs, padding);
        try {
            NDArray hidden = finalHiddenStates(scope, layout); // [batch, tokens, hidden]
            NDArray lastHidden = hidden.reshape(layout.batch * (long) layout.tokens, config.hiddenSize())
                    .get(new NDIndex("{}", scope.create(layout.lastTokenIndices()))); // [batch, hidden]
            NDArray logits = finalNorm.forward(lastHidden).matMul(LlamaAttention.transposed(lmHead, lastHidden)); // [batch, vocab]
            commit(layout);
            return logits;
        } catch (RuntimeException e) {
            for (ModelInput input : inputs) {
                input.cache().rollback();
            }
            throw e;
        }
    }

    @Override
    public NDArray forwardAllPositions(NDManager scope, List<ModelInput> inputs, PaddingSide padding) {
        BatchLayout layout = checkedLayout(inputs, padding);
        try {
            NDArray hidden = finalHiddenStates(scope, layout); // [batch, tokens, hidden]
            NDArray logits = finalNorm.forward(hidden)
                    .matMul(LlamaAttention.transposed(lmHead, hidden)); // [batch, tokens, vocab]
            commit(layout);
            return logits;
        } catch (RuntimeException e) {
            for (ModelInput input : inputs) {
                input.cache().rollback();
            }
            throw e;
        }
    }

    private BatchLayout checkedLayout(List<ModelInput> inputs, PaddingSide padding) {
        BatchLayout layout = BatchLayout.of(inputs, padding);
        if (layout.requiredContext() > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("A sequence in the batch needs " + layout.requiredContext()
                    + " positions but the model supports at most " + config.maxPositionEmbeddings());
        }
        return layout;
    }

    /**
     * Looks up the token embeddings of {@code ids [batch, tokens]} and returns
     * {@code [batch, tokens, hidden]}, differentiable with respect to {@code model.embed_tokens.weight}.
     */
    public NDArray embed(NDArray ids) {
        Shape shape = ids.getShape();
        NDArray flat = embedTokens.get(new NDIndex("{}", ids.flatten().toType(DataType.INT64, false)));
        flat.attach(ids.getManager());
        return flat.reshape(shape.get(0), shape.get(1), config.hiddenSize());
    }

    /**
     * Runs whole sequences given as input embeddings, for example image tokens followed by embedded
     * text, without a KV cache or hooks, and returns the logits of every position,
     * {@code [batch, tokens, vocab]}.
     *
     * <p>Positions count from 0 in every row and attention is causal, so right padding never changes
     * the logits of the real tokens before it. When the weights require gradients and a
     * {@link ai.djl.training.GradientCollector} is open, the call is differentiable.
     *
     * @param inputEmbeds {@code [batch, tokens, hidden]}
     */
    public NDArray forwardEmbeddings(NDArray inputEmbeds) {
        Shape shape = inputEmbeds.getShape();
        int batch = (int) shape.get(0);
        int tokens = (int) shape.get(1);
        if (shape.dimension() != 3 || shape.get(2) != config.hiddenSize()) {
            throw new IllegalArgumentException("inputEmbeds must be [batch, tokens, " + config.hiddenSize()
                    + "], got " + shape);
        }
        if (tokens > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("The sequence has " + tokens + " positions but the model supports at most "
                    + config.maxPositionEmbeddings());
        }
        NDManager scope = inputEmbeds.getManager();
        int[][] positions = new int[batch][tokens];
        for (int[] row : positions) {
            for (int t = 0; t < tokens; t++) {
                row[t] = t;
            }
        }
        RotaryEmbedding.Angles angles = rotary.angles(scope, positions);
        float[] causal = new float[tokens * tokens];
        for (int query = 0; query < tokens; query++) {
            for (int key = query + 1; key < tokens; key++) {
                causal[query * tokens + key] = Float.NEGATIVE_INFINITY;
            }
        }
        NDArray mask = scope.create(causal, new Shape(1, 1, tokens, tokens));

        NDArray residual = inputEmbeds;
        for (LlamaDecoderLayer layer : layers) {
            residual = layer.forwardWithoutCache(residual, angles, mask);
        }
        return finalNorm.forward(residual).matMul(LlamaAttention.transposed(lmHead, residual));
    }

    /**
     * Runs the embedding and every decoder layer and returns the residual stream after the last
     * layer, {@code [batch, tokens, hidden]}, before the final norm. Caches are staged, not committed.
     */
    NDArray finalHiddenStates(NDManager scope, BatchLayout layout) {
        NDArray ids = scope.create(flatten(layout.inputIds)); // [batch * tokens]
        NDArray embedded = embedTokens.get(new NDIndex("{}", ids)); // [batch * tokens, hidden]
        embedded.attach(scope);
        NDArray residual = embedded.reshape(layout.batch, layout.tokens, config.hiddenSize());
        RotaryEmbedding.Angles angles = rotary.angles(scope, layout.positions);
        NDArray mask = layout.attentionMask(scope);

        for (int layer = 0; layer < layers.size(); layer++) {
            residual = applyHooks(HookPoints.residPre(layer), residual, layout);
            residual = layers.get(layer).forward(residual, layout, angles, mask);
            residual = applyHooks(HookPoints.residPost(layer), residual, layout);
        }
        return residual;
    }

    private void commit(BatchLayout layout) {
        for (int b = 0; b < layout.batch; b++) {
            layout.cache(b).commit(layout.counts[b]);
        }
    }

    /** Runs each group of rows that shares one {@link Hooks} instance through those hooks. */
    private static NDArray applyHooks(String hookName, NDArray residual, BatchLayout layout) {
        Map<Hooks, List<Integer>> rowsByHooks = new IdentityHashMap<>();
        for (int b = 0; b < layout.batch; b++) {
            Hooks hooks = layout.inputs.get(b).hooks();
            if (hooks.has(hookName)) {
                rowsByHooks.computeIfAbsent(hooks, h -> new ArrayList<>()).add(b);
            }
        }
        if (rowsByHooks.isEmpty()) {
            return residual;
        }
        if (rowsByHooks.size() == 1 && rowsByHooks.values().iterator().next().size() == layout.batch) {
            return rowsByHooks.keySet().iterator().next().apply(hookName, residual);
        }

        NDList rows = new NDList(layout.batch);
        for (int b = 0; b < layout.batch; b++) {
            rows.add(residual.get(new NDIndex("{}:{}", b, b + 1)));
        }
        rowsByHooks.forEach((hooks, rowIndices) -> {
            for (int b : rowIndices) {
                rows.set(b, hooks.apply(hookName, rows.get(b)));
            }
        });
        return NDArrays.concat(rows, 0);
    }

    private static long[] flatten(int[][] values) {
        int columns = values[0].length;
        long[] flat = new long[values.length * columns];
        for (int row = 0; row < values.length; row++) {
            for (int column = 0; column < columns; column++) {
                flat[row * columns + column] = values[row][column];
            }
        }
        return flat;
    }

    @Override
    public void close() {
        manager.close();
    }
}
