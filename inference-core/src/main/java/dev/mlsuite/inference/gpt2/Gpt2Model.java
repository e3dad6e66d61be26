package dev.mlsuite.inference.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.generation.CausalLanguageModel;
import dev.mlsuite.inference.generation.KvCache;
import dev.mlsuite.inference.generation.ModelInput;
import dev.mlsuite.inference.generation.PaddingSide;
import dev.mlsuite.inference.hooks.HookPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * GPT-2 decoder ({@code GPT2LMHeadModel}) as DJL NDArray code: token and learned position
 * embeddings, pre-LayerNorm blocks with {@code gelu_new} MLPs, a final LayerNorm and an output
 * layer tied to the token embedding.
 *
 * <p>Hook points {@code blocks.{i}.hook_resid_pre} and {@code blocks.{i}.hook_resid_post} see the
 * residual stream before and after block {@code i}, named as TransformerLens names them, so SAEs
 * trained with SAELens on GPT-2 attach unchanged. Each sequence of a batch runs through the blocks
 * on its own, so padding never enters a computation.
 */
public final class Gpt2Model implements CausalLanguageModel {

    private final String name;
    private final Gpt2Config config;
    private final NDManager manager;
    private final NDArray tokenEmbedding; // [vocab, hidden]
    private final NDArray positionEmbedding; // [positions, hidden]
    private final List<Gpt2Block> blocks;
    private final NDArray finalNormWeight; // [hidden]
    private final NDArray finalNormBias; // [hidden]
    private final NDArray outputTransposed; // [hidden, vocab]

    Gpt2Model(String name, Gpt2Config config, NDManager manager, NDArray tokenEmbedding, NDArray positionEmbedding,
            List<Gpt2Block.Weights> blockWeights, NDArray finalNormWeight, NDArray finalNormBias,
            NDArray outputWeight) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = config;
        this.manager = manager;
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.blocks = new ArrayList<>(blockWeights.size());
        for (int layer = 0; layer < blockWeights.size(); layer++) {
            blocks.add(new Gpt2Block(layer, config, blockWeights.get(layer)));
        }
        this.finalNormWeight = finalNormWeight;
        this.finalNormBias = finalNormBias;
        this.outputTransposed = outputWeight.transpose();
    }

    public Gpt2Config config() {
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
        return config.maxPositions();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public KvCache newCache() {
        return new KvCache(manager.newSubManager(), config.numLayers(), config.numHeads(), config.headDim());
    }

    /** Runs each input on its own and returns the logits after each input's last token, {@code [batch, vocab]}. */
    @Override
    public NDArray forward(NDManager scope, List<ModelInput> inputs, PaddingSide padding) {
        NDList rows = runAll(scope, inputs, true);
        return rows.size() == 1 ? rows.get(0) : NDArrays.concat(rows, 0);
    }

    /**
     * Runs each input on its own and returns the logits at every position, {@code [batch, tokens, vocab]},
     * with shorter rows padded by zeros on the {@code padding} side.
     */
    @Override
    public NDArray forwardAllPositions(NDManager scope, List<ModelInput> inputs, PaddingSide padding) {
        NDList rows = runAll(scope, inputs, false);
        long longest = rows.stream().mapToLong(row -> row.getShape().get(1)).max().orElse(0);
        NDList padded = new NDList(rows.size());
        for (NDArray row : rows) {
            long missing = longest - row.getShape().get(1);
            if (missing == 0) {
                padded.add(row);
                continue;
            }
            NDArray zeros = scope.zeros(new Shape(1, missing, config.vocabSize()), row.getDataType());
            padded.add(padding == PaddingSide.RIGHT ? NDArrays.concat(new NDList(row, zeros), 1)
                    : NDArrays.concat(new NDList(zeros, row), 1));
        }
        return padded.size() == 1 ? padded.get(0) : NDArrays.concat(padded, 0);
    }

    /** Runs every input, commits all caches when every input succeeded, and rolls them back otherwise. */
    private NDList runAll(NDManager scope, List<ModelInput> inputs, boolean lastTokenOnly) {
        for (ModelInput input : inputs) {
            int needed = input.cache().length() + input.tokens().length;
            if (needed > config.maxPositions()) {
                throw new IllegalArgumentException("A sequence needs " + needed + " positions but the model supports"
                        + " at most " + config.maxPositions());
            }
        }
        try {
            NDList rows = new NDList(inputs.size());
            for (ModelInput input : inputs) {
                rows.add(forwardOne(scope, input, lastTokenOnly));
            }
            for (ModelInput input : inputs) {
                input.cache().commit(input.tokens().length);
            }
            return rows;
        } catch (RuntimeException e) {
            inputs.forEach(input -> input.cache().rollback());
            throw e;
        }
    }

    /**
     * Returns the logits of one input: {@code [1, vocab]} after its last token, or {@code [1, tokens, vocab]}
     * at every position.
     */
    private NDArray forwardOne(NDManager scope, ModelInput input, boolean lastTokenOnly) {
        int past = input.cache().length();
        int tokens = input.tokens().length;
        long[] ids = new long[tokens];
        long[] positions = new long[tokens];
        for (int t = 0; t < tokens; t++) {
            ids[t] = input.tokens()[t];
            positions[t] = past + t;
        }
        NDArray tokenVectors = tokenEmbedding.get(new NDIndex("{}", scope.create(ids)));
        NDArray positionVectors = positionEmbedding.get(new NDIndex("{}", scope.create(positions)));
        tokenVectors.attach(scope);
        positionVectors.attach(scope);
        NDArray residual = tokenVectors.add(positionVectors).reshape(1, tokens, config.hiddenSize());
        NDArray mask = causalMask(scope, past, tokens);

        for (int layer = 0; layer < blocks.size(); layer++) {
            residual = input.hooks().apply(HookPoints.residPre(layer), residual);
            residual = blocks.get(layer).forward(residual, input.cache(), mask);
            residual = input.hooks().apply(HookPoints.residPost(layer), residual);
        }

        NDArray selected = lastTokenOnly ? residual.get(new NDIndex("0, {}:{}", tokens - 1, tokens)) : residual;
        NDArray normalised = Gpt2Block.layerNorm(selected, finalNormWeight, finalNormBias, config.layerNormEpsilon());
        return normalised.matMul(outputTransposed);
    }

    /** Additive mask {@code [tokens, past + tokens]}: new token {@code t} sees positions up to {@code past + t}. */
    private static NDArray causalMask(NDManager scope, int past, int tokens) {
        int keyLength = past + tokens;
        float[] mask = new float[tokens * keyLength];
        for (int t = 0; t < tokens; t++) {
            for (int k = past + t + 1; k < keyLength; k++) {
                mask[t * keyLength + k] = Float.NEGATIVE_INFINITY;
            }
        }
        return scope.create(mask, new Shape(tokens, keyLength));
    }

    @Override
    public void close() {
        manager.close();
    }
}
