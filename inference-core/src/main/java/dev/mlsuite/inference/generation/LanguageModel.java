package dev.mlsuite.inference.generation;

import java.util.Objects;

/** A causal language model with the tokenizer it was trained with. */
public record LanguageModel(CausalLanguageModel model, TextTokenizer tokenizer) implements AutoCloseable {

    public LanguageModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (tokenizer.vocabSize() != model.vocabSize()) {
            throw new IllegalArgumentException("Tokenizer has " + tokenizer.vocabSize() + " tokens but model "
                    + model.name() + " has " + model.vocabSize());
        }
    }

    /** Frees the model's native memory, and the tokenizer's when it is {@link AutoCloseable}. */
    @Override
    public void close() {
        model.close();
        if (tokenizer instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("Failed to close the tokenizer of model " + model.name(), e);
            }
        }
    }
}
