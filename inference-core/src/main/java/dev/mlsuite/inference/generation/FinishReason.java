package dev.mlsuite.inference.generation;

/** Reason a sequence stopped generating. */
public enum FinishReason {
    /** The model produced an end-of-sequence or beginning-of-sequence token. */
    END_OF_SEQUENCE("stop"),
    /** The text contains one of the stop strings; the text ends before it. */
    STOP_STRING("stop"),
    /** The sequence generated {@code maxTokens} tokens. */
    MAX_TOKENS("length"),
    /** Prompt and generated tokens fill the model's context. */
    CONTEXT_LENGTH("length"),
    /** The caller cancelled the sequence, e.g. because the client disconnected. */
    CANCELLED("cancelled");

    private final String openAiValue;

    FinishReason(String openAiValue) {
        this.openAiValue = openAiValue;
    }

    /** Returns the {@code finish_reason} value of OpenAI's completions API: {@code stop} or {@code length}. */
    public String openAiValue() {
        return openAiValue;
    }
}
