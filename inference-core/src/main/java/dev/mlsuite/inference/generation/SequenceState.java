package dev.mlsuite.inference.generation;

import dev.mlsuite.inference.hooks.Hooks;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything one generating sequence carries between steps: its tokens, KV cache, sampler random
 * state, settings, streamed text and, once it ends, the finish reason.
 *
 * <p>The last token in {@link #tokens()} has been sampled but not yet run through the model, so the
 * cache contains one token fewer. The KV cache belongs to this state and is freed when the sequence
 * finishes or the state is closed. Hooks and the listener are not serialised; a restored sequence
 * gets them again from the caller. A state is used by one thread at a time.
 */
public final class SequenceState implements AutoCloseable {

    private final String id;
    private final SamplingSettings settings;
    private final KvCache cache;
    private final SamplerRandom random;
    private final GeneratedText text;
    private final int promptLength;
    private int[] tokens;
    private int tokenCount;
    private Hooks hooks;
    private TokenListener listener;
    private FinishReason finishReason;
    private volatile boolean cancelRequested;

    SequenceState(String id, int[] promptTokens, SamplingSettings settings, KvCache cache, SamplerRandom random,
            Hooks hooks, TokenListener listener) {
        this.id = Objects.requireNonNull(id, "id");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.random = Objects.requireNonNull(random, "random");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.text = new GeneratedText(settings.stopStrings());
        this.promptLength = promptTokens.length;
        this.tokens = Arrays.copyOf(promptTokens, promptTokens.length + Math.min(settings.maxTokens(), 1024));
        this.tokenCount = promptTokens.length;
    }

    public String id() {
        return id;
    }

    public SamplingSettings settings() {
        return settings;
    }

    /** Returns prompt and generated tokens. */
    public int[] tokens() {
        return Arrays.copyOf(tokens, tokenCount);
    }

    /** Returns the generated tokens, without the prompt. */
    public int[] generatedTokens() {
        return Arrays.copyOfRange(tokens, promptLength, tokenCount);
    }

    public int promptLength() {
        return promptLength;
    }

    public int generatedCount() {
        return tokenCount - promptLength;
    }

    /** Returns the text generated so far; after a stop string it ends before the stop string. */
    public String text() {
        return text.text();
    }

    public boolean isFinished() {
        return finishReason != null;
    }

    /** Returns the finish reason, or null while the sequence is generating. */
    public FinishReason finishReason() {
        return finishReason;
    }

    /** Asks the sequence to stop; the next step finishes it with {@link FinishReason#CANCELLED}. */
    public void cancel() {
        cancelRequested = true;
    }

    public Hooks hooks() {
        return hooks;
    }

    /** Sets the hooks of later steps, e.g. after restoring a serialised sequence. */
    public void hooks(Hooks newHooks) {
        this.hooks = Objects.requireNonNull(newHooks, "hooks");
    }

    /** Sets the listener of later steps, e.g. after restoring a serialised sequence. */
    public void listener(TokenListener newListener) {
        this.listener = Objects.requireNonNull(newListener, "listener");
    }

    KvCache cache() {
        return cache;
    }

    SamplerRandom random() {
        return random;
    }

    GeneratedText generatedText() {
        return text;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    int lastToken() {
        return tokens[tokenCount - 1];
    }

    int[] tokenBuffer() {
        return tokens;
    }

    int tokenCount() {
        return tokenCount;
    }

    TokenListener listener() {
        return listener;
    }

    void appendToken(int token) {
        if (tokenCount == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[tokenCount++] = token;
    }

    /** Restores generated tokens of a serialised sequence without streaming them again. */
    void restoreGenerated(int[] generated, byte[][] tokenBytes, int streamedChars) {
        for (int i = 0; i < generated.length; i++) {
            appendToken(generated[i]);
            text.append(tokenBytes[i]);
        }
        text.restoreStreamedChars(streamedChars);
    }

    /** Marks the sequence finished, streams the held-back text and frees the KV cache. */
    void finish(FinishReason reason) {
        if (finishReason != null) {
            return;
        }
        finishReason = reason;
        String rest = text.finish();
        cache.close();
        listener.onFinish(reason, rest);
    }

    @Override
    public void close() {
        cache.close();
    }
}
