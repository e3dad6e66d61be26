package dev.mlsuite.inference.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.hooks.Hooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Text generation as two separate steps over per-sequence state: {@link #prefill} runs a prompt and
 * samples the first token, {@link #decode} advances any number of sequences, of any lengths, by one
 * token in one batched forward pass. Between steps a sequence can be serialised with
 * {@link SequenceStateCodec} and continued elsewhere.
 *
 * <p>Every array a step creates belongs to a sub-manager that the step closes. The model's
 * {@code forward} must not run on one sequence from two threads at once; different sequences may
 * run in parallel.
 */
public final class Generator {

    private final CausalLanguageModel model;
    private final TextTokenizer tokenizer;

    public Generator(LanguageModel languageModel) {
        Objects.requireNonNull(languageModel, "languageModel");
        this.model = languageModel.model();
        this.tokenizer = languageModel.tokenizer();
    }

    public CausalLanguageModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** A prompt to prefill with its settings, hooks and listener. */
    public record PrefillRequest(int[] promptTokens, SamplingSettings settings, Hooks hooks, TokenListener listener) {

        public PrefillRequest {
            Objects.requireNonNull(promptTokens, "promptTokens");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(hooks, "hooks");
            Objects.requireNonNull(listener, "listener");
        }
    }

    /**
     * Encodes {@code prompt} after a BOS token, generates until a stop condition and returns the result.
     *
     * @throws IllegalArgumentException when the prompt does not fit the model's context
     */
    public GenerationResult generate(String prompt, SamplingSettings settings, Hooks hooks, TokenListener listener) {
        int[] promptTokens = tokenizer.encode(prompt, true);
        long startNanos = System.nanoTime();
        try (SequenceState state = prefill(new PrefillRequest(promptTokens, settings, hooks, listener))) {
            long prefillNanos = System.nanoTime() - startNanos;
            while (!state.isFinished()) {
                decode(List.of(state));
            }
            long totalNanos = System.nanoTime() - startNanos;
            return new GenerationResult(state.text(), state.generatedTokens(), promptTokens.length,
                    state.finishReason(), prefillNanos, totalNanos - prefillNanos);
        }
    }

    /** Prefills one prompt; see {@link #prefill(List)}. */
    public SequenceState prefill(PrefillRequest request) {
        return prefill(List.of(request)).get(0);
    }

    /**
     * Runs the prompts in one batched forward pass, samples each first token and returns one state per
     * prompt, in order. A state may already be finished, e.g. when the first token is end-of-sequence.
     *
     * @throws IllegalArgumentException when a prompt is empty or does not fit the model's context
     */
    public List<SequenceState> prefill(List<PrefillRequest> requests) {
        List<SequenceState> states = new ArrayList<>(requests.size());
        try {
            for (PrefillRequest request : requests) {
                validatePrompt(request.promptTokens());
                states.add(new SequenceState(UUID.randomUUID().toString(), request.promptTokens(), request.settings(),
                        model.newCache(), SamplerRandom.fromSeed(request.settings().seed()), request.hooks(),
                        request.listener()));
            }
            List<ModelInput> inputs = new ArrayList<>(states.size());
            for (SequenceState state : states) {
                inputs.add(new ModelInput(state.tokens(), state.cache(), state.hooks()));
            }
            step(states, inputs);
            return states;
        } catch (RuntimeException e) {
            states.forEach(SequenceState::close);
            throw e;
        }
    }

    /**
     * Advances every unfinished sequence by one token in one batched forward pass. Finished sequences
     * are skipped; a sequence whose {@link SequenceState#cancel()} was called finishes as cancelled.
     */
    public void decode(List<SequenceState> states) {
        List<SequenceState> active = new ArrayList<>(states.size());
        List<ModelInput> inputs = new ArrayList<>(states.size());
        for (SequenceState state : states) {
            if (state.isFinished()) {
                continue;
            }
            if (state.cancelRequested()) {
                state.finish(FinishReason.CANCELLED);
                continue;
            }
            active.add(state);
            inputs.add(new ModelInput(new int[] {state.lastToken()}, state.cache(), state.hooks()));
        }
        if (!active.isEmpty()) {
            step(active, inputs);
        }
    }

    private void validatePrompt(int[] promptTokens) {
        if (promptTokens.length == 0) {
            throw new IllegalArgumentException("The prompt has no tokens; start it with the BOS token at least");
        }
        if (promptTokens.length > model.maxSequenceLength()) {
            throw new IllegalArgumentException("The prompt has " + promptTokens.length + " tokens but model "
                    + model.name() + " reads at most " + model.maxSequenceLength());
        }
        for (int token : promptTokens) {
            if (token < 0 || token >= model.vocabSize()) {
                throw new IllegalArgumentException("Prompt token " + token + " is outside the vocabulary 0.."
                        + (model.vocabSize() - 1));
            }
        }
    }

    /** Runs one forward pass over {@code inputs} and samples and emits one token per state. */
    private void step(List<SequenceState> states, List<ModelInput> inputs) {
        float[][] logits;
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray batchLogits = model.forward(scope, inputs, PaddingSide.RIGHT); // [batch, vocab]
            logits = rows(batchLogits.toFloatArray(), states.size());
        }

        for (int b = 0; b < states.size(); b++) {
            SequenceState state = states.get(b);
            int token = Sampler.sample(logits[b], state.tokenBuffer(), state.tokenCount(), state.settings(),
                    state.random());
            emit(state, token);
        }
    }

    private void emit(SequenceState state, int token) {
        if (token == tokenizer.eosId() || token == tokenizer.bosId()) {
            state.finish(FinishReason.END_OF_SEQUENCE);
            return;
        }

        int previous = state.lastToken();
        state.appendToken(token);
        GeneratedText.Delta delta = state.generatedText().append(tokenizer.tokenBytes(previous, token));
        state.listener().onToken(token, delta.text());

        if (delta.stopped()) {
            state.finish(FinishReason.STOP_STRING);
        } else if (state.generatedCount() >= state.settings().maxTokens()) {
            state.finish(FinishReason.MAX_TOKENS);
        } else if (state.tokenCount() > model.maxSequenceLength()) {
            // The last token would need position maxSequenceLength, which the model does not have.
            state.finish(FinishReason.CONTEXT_LENGTH);
        }
    }

    private static float[][] rows(float[] flat, int batch) {
        int vocab = flat.length / batch;
        float[][] rows = new float[batch][];
        for (int b = 0; b < batch; b++) {
            rows[b] = java.util.Arrays.copyOfRange(flat, b * vocab, (b + 1) * vocab);
        }
        return rows;
    }
}
