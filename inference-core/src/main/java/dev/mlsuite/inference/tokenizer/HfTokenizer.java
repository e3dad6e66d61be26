package dev.mlsuite.inference.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's binding of the Rust {@code tokenizers}
 * library, with truncation to a fixed maximum and padding done per batch.
 *
 * <p>The binding's native library ships inside the {@code ai.djl.huggingface:tokenizers} jar for
 * linux-x86_64, linux-aarch64, osx-aarch64 and win-x86_64, so loading needs no download. Instances
 * are safe for concurrent use.
 */
public final class HfTokenizer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HfTokenizer.class);

    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;
    private final long padId;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, int maxTokens, long padId) {
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
        this.padId = padId;
    }

    /**
     * Loads a {@code tokenizer.json} file.
     *
     * @param maxTokens tokens per text after truncation, special tokens included
     * @throws IOException if the file cannot be read or is not a valid tokenizer
     */
    public static HfTokenizer load(Path tokenizerJson, int maxTokens) throws IOException {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IOException("tokenizer file not found: " + tokenizerJson);
        }
        try (InputStream input = Files.newInputStream(tokenizerJson)) {
            return load(input, tokenizerJson.toString(), maxTokens);
        }
    }

    /**
     * Loads {@code tokenizer.json} content from a stream, such as a classpath resource.
     *
     * @param description names the source in errors and logs
     * @param maxTokens tokens per text after truncation, special tokens included
     */
    public static HfTokenizer load(InputStream tokenizerJson, String description, int maxTokens)
            throws IOException {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be at least 2 to hold the special tokens, found "
                    + maxTokens);
        }
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "padding", "false",
                "maxLength", Integer.toString(maxTokens));
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, options);
        } catch (RuntimeException e) {
            throw new IOException(description + ": failed to load the tokenizer: " + e.getMessage(), e);
        }
        long padId = padIdOf(tokenizer);
        log.debug("Loaded tokenizer {} (maxTokens={}, padId={})", description, maxTokens, padId);
        return new HfTokenizer(tokenizer, maxTokens, padId);
    }

    private static long padIdOf(HuggingFaceTokenizer tokenizer) {
        // The tokenizer.json padding section is turned off above, so read the id of the usual pad token.
        long[] ids = tokenizer.encode("[PAD]", false, false).getIds();
        return ids.length == 1 ? ids[0] : 0;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** Returns the id written into padding positions: the id of {@code [PAD]}, or 0 if the vocabulary lacks it. */
    public long padId() {
        return padId;
    }

    /** Returns the ids of one text with special tokens, truncated to {@link #maxTokens()}. */
    public long[] encode(String text) {
        return tokenizer.encode(text).getIds();
    }

    /** Returns the tokens of one text as strings, with special tokens, truncated like {@link #encode}. */
    public String[] tokens(String text) {
        return tokenizer.encode(text).getTokens();
    }

    /** Encodes texts and pads them on the right to the longest one. */
    public TokenBatch encodeBatch(List<String> texts) {
        if (texts.isEmpty()) {
            return TokenBatch.pad(new long[0][], padId);
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        long[][] rows = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            rows[i] = encodings[i].getIds();
        }
        return TokenBatch.pad(rows, padId);
    }

    /** Decodes ids to text, skipping special tokens. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
