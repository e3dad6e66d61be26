package dev.mlsuite.inference.bert;

import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.HfConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Hyperparameters of a BERT encoder, read from a Hugging Face {@code config.json} with the same
 * key names and defaults as {@code transformers.BertConfig}.
 *
 * @param vocabSize rows of the word embedding ({@code vocab_size})
 * @param hiddenSize width of the residual stream ({@code hidden_size})
 * @param numHiddenLayers number of encoder layers ({@code num_hidden_layers})
 * @param numAttentionHeads attention heads per layer ({@code num_attention_heads}); divides {@code hiddenSize}
 * @param intermediateSize width of the feed-forward layer ({@code intermediate_size})
 * @param hiddenAct feed-forward activation ({@code hidden_act}): {@code gelu}, {@code gelu_new},
 *     {@code gelu_pytorch_tanh} or {@code relu}
 * @param maxPositionEmbeddings maximum tokens per sequence ({@code max_position_embeddings})
 * @param typeVocabSize number of token types ({@code type_vocab_size})
 * @param layerNormEps epsilon of every LayerNorm ({@code layer_norm_eps})
 * @param padTokenId id of the padding token ({@code pad_token_id})
 */
public record BertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
        int intermediateSize, String hiddenAct, int maxPositionEmbeddings, int typeVocabSize, double layerNormEps,
        int padTokenId) {

    /** Validates the values; the message names the bad value. */
    public BertConfig {
        requirePositive("vocab_size", vocabSize);
        requirePositive("hidden_size", hiddenSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        requirePositive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize
                    + " must be a multiple of num_attention_heads " + numAttentionHeads);
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be positive, found " + layerNormEps);
        }
        FeedForwardActivation.of(hiddenAct);
    }

    /** Returns the width of one attention head. */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /**
     * Reads {@code config.json} from a file or model directory.
     *
     * @throws CheckpointException if a required key is missing, a value is invalid, or the model is not
     *     a BERT encoder with absolute position embeddings
     */
    public static BertConfig read(Path fileOrDirectory) throws IOException {
        return from(HfConfig.read(fileOrDirectory));
    }

    /** Builds the configuration from parsed {@code config.json} content. */
    public static BertConfig from(HfConfig config) {
        String modelType = config.stringOr("model_type", "bert");
        if (!modelType.equals("bert")) {
            throw new CheckpointException(config.description() + ": model_type is '" + modelType
                    + "', expected 'bert'");
        }
        String positionType = config.stringOr("position_embedding_type", "absolute");
        if (!positionType.equals("absolute")) {
            throw new CheckpointException(config.description() + ": position_embedding_type '" + positionType
                    + "' is not supported; only 'absolute' is");
        }
        try {
            return new BertConfig(
                    config.requireInt("vocab_size"),
                    config.intOr("hidden_size", 768),
                    config.intOr("num_hidden_layers", 12),
                    config.intOr("num_attention_heads", 12),
                    config.intOr("intermediate_size", 3072),
                    config.stringOr("hidden_act", "gelu"),
                    config.intOr("max_position_embeddings", 512),
                    config.intOr("type_vocab_size", 2),
                    config.doubleOr("layer_norm_eps", 1e-12),
                    config.intOr("pad_token_id", 0));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(config.description() + ": " + e.getMessage(), e);
        }
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, found " + value);
        }
    }
}
