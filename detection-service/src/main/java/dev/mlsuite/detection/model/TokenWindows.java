package dev.mlsuite.detection.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * Splits a text into overlapping windows of token ids so that texts longer than the encoder's
 * input still reach it in full. Each window holds up to {@code windowTokens - 2} content tokens
 * between the tokenizer's own start and end tokens ({@code [CLS]} and {@code [SEP]} for BERT), and
 * consecutive windows share {@code overlapTokens} content tokens.
 *
 * <p>Instances are safe for concurrent use.
 */
public final class TokenWindows implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final ChunkingSettings settings;
    private final long startId;
    private final long endId;

    private TokenWindows(HuggingFaceTokenizer tokenizer, ChunkingSettings settings) {
        this.tokenizer = tokenizer;
        this.settings = settings;
        // Encoding an empty text with special tokens gives exactly the start and end tokens.
        long[] specialIds = tokenizer.encode("", true, false).getIds();
        if (specialIds.length != 2) {
            throw new IllegalArgumentException("tokenizer must add one start and one end token, found "
                    + specialIds.length + " special tokens");
        }
        this.startId = specialIds[0];
        this.endId = specialIds[1];
    }

    /** Loads a Hugging Face {@code tokenizer.json} file. */
    public static TokenWindows load(Path tokenizerJson, ChunkingSettings settings) throws IOException {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IOException("Tokenizer file not found: " + tokenizerJson.toAbsolutePath());
        }
        try (InputStream input = Files.newInputStream(tokenizerJson)) {
            return load(input, settings);
        }
    }

    /** Loads {@code tokenizer.json} content from a stream, such as a classpath resource. */
    public static TokenWindows load(InputStream tokenizerJson, ChunkingSettings settings) throws IOException {
        // Truncation off: the windows below cover the whole text.
        Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
        return new TokenWindows(HuggingFaceTokenizer.newInstance(tokenizerJson, options), settings);
    }

    public ChunkingSettings settings() {
        return settings;
    }

    /** Returns the number of content tokens of {@code text}, without special tokens. */
    public int countTokens(String text) {
        return tokenizer.encode(text, false, false).getIds().length;
    }

    /**
     * Returns the windows of one text, each starting with the start token and ending with the end
     * token. An empty text gives one window with only the two special tokens.
     */
    public List<long[]> windows(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        long[] content = encoding.getIds();
        int contentPerWindow = settings.windowTokens() - 2;
        int stride = contentPerWindow - settings.overlapTokens();

        List<long[]> windows = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = Math.min(content.length, start + contentPerWindow);
            long[] window = new long[end - start + 2];
            window[0] = startId;
            System.arraycopy(content, start, window, 1, end - start);
            window[window.length - 1] = endId;
            windows.add(window);
            if (end >= content.length) {
                break;
            }
            start += stride;
        }
        return windows;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
