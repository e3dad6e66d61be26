package dev.mlsuite.detox.api;

import dev.mlsuite.inference.generation.FinishReason;
import java.util.Locale;

/** Names of finish reasons in responses: lower case, and OpenAI's {@code stop}/{@code length} for completions. */
public final class FinishReasons {

    private FinishReasons() {
    }

    public static String name(FinishReason reason) {
        return reason == null ? "unknown" : reason.name().toLowerCase(Locale.ROOT);
    }

    static String openAi(FinishReason reason) {
        return reason == null ? "stop" : reason.openAiValue();
    }
}
