package dev.mlsuite.detox.api;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlsuite.platform.web.ApiException;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.mlsuite.detox.generation.GenerationOutcome;
import dev.mlsuite.inference.generation.FinishReason;
import dev.mlsuite.inference.generation.TokenListener;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The subset of OpenAI's legacy completions API that existing clients need: {@code prompt},
 * {@code max_tokens}, {@code temperature}, {@code top_p} and {@code stream}. Generations here run
 * unsteered, are scored and stored like the others.
 */
@RestController
public class CompletionsController {

    private static final Logger log = LoggerFactory.getLogger(CompletionsController.class);

    private final DetoxGenerationService service;
    private final ExecutorService streamExecutor;

    public CompletionsController(DetoxGenerationService service, ExecutorService detoxStreamExecutor) {
        this.service = service;
        this.streamExecutor = detoxStreamExecutor;
    }

    /**
     * Prefix of a completion's {@code id}, as OpenAI writes it. The rest is the id of the stored generation,
     * so {@code GET /v1/generations/{id}} takes the completion id with or without the prefix.
     */
    static final String COMPLETION_ID_PREFIX = "cmpl-";

    /** JSON fields of {@link CompletionRequest}; any other field is rejected as {@code unknown-field}. */
    static final List<String> ACCEPTED_FIELDS = List.of("model", "prompt", "max_tokens", "temperature", "top_p",
            "stream", "seed");

    /**
     * Body of {@code POST /v1/completions}. {@code model} is accepted for OpenAI clients and not used.
     *
     * @param unknownFields fields outside {@link #ACCEPTED_FIELDS}, collected so that they can be rejected
     */
    public record CompletionRequest(String model, String prompt, @JsonProperty("max_tokens") Integer maxTokens,
            Float temperature, @JsonProperty("top_p") Float topP, Boolean stream, Long seed,
            @JsonAnySetter @Schema(hidden = true) Map<String, Object> unknownFields) {

        public CompletionRequest {
            unknownFields = unknownFields == null ? Map.of() : new LinkedHashMap<>(unknownFields);
        }
    }

    /** One choice of a completion, as OpenAI names the fields. */
    public record Choice(String text, int index, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    /** Token counts, as OpenAI names the fields. */
    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens) {
    }

    /** Response body, or one stream chunk when {@code usage} is null. */
    public record Completion(String id, String object, long created, String model, List<Choice> choices,
            Usage usage) {
    }

    @PostMapping(path = "/v1/completions")
    public Object complete(@RequestBody CompletionRequest request) {
        rejectUnknownFields(request);
        int maxTokensLimit = service.maxTokens();
        if (request.maxTokens() != null && (request.maxTokens() < 1 || request.maxTokens() > maxTokensLimit)) {
            throw ApiException.badRequest("max-tokens-out-of-range", "max_tokens must be in 1.." + maxTokensLimit
                    + ", got " + request.maxTokens(), request.maxTokens(), "Ask for at most " + maxTokensLimit
                    + " tokens (setting detox.max-tokens).");
        }
        if (request.temperature() != null) {
            DetoxGenerationService.checkTemperature("temperature", request.temperature());
        }
        if (request.topP() != null) {
            DetoxGenerationService.checkTopP("top_p", request.topP());
        }
        // OpenAI's default max_tokens is 16.
        GenerationRequest generation = new GenerationRequest(request.prompt(),
                request.maxTokens() == null ? 16 : request.maxTokens(), request.temperature(), request.topP(), null,
                request.seed(), null);
        DetoxGenerationService.Plan plan = service.plan(generation);
        String model = service.models().languageModel().model().name();
        if (Boolean.TRUE.equals(request.stream())) {
            return stream(plan, model);
        }
        GenerationOutcome outcome = service.generate(plan, "completions", TokenListener.NONE, () -> false);
        return new Completion(COMPLETION_ID_PREFIX + outcome.id(), "text_completion", Instant.now().getEpochSecond(), model,
                List.of(new Choice(outcome.text(), 0, null, FinishReasons.openAi(outcome.finishReason()))),
                new Usage(outcome.promptTokens(), outcome.tokens().length,
                        outcome.promptTokens() + outcome.tokens().length));
    }

    /**
     * Rejects a body with fields this subset does not read: an OpenAI option such as {@code n} or a
     * misspelled {@code max_tokens} would otherwise be dropped without notice.
     */
    private static void rejectUnknownFields(CompletionRequest request) {
        if (request.unknownFields().isEmpty()) {
            return;
        }
        List<String> unknown = List.copyOf(request.unknownFields().keySet());
        throw ApiException.badRequest("unknown-field", "Unknown field" + (unknown.size() == 1 ? " " : "s ")
                + String.join(", ", unknown) + " in the completion request; this endpoint accepts "
                + String.join(", ", ACCEPTED_FIELDS), unknown.size() == 1 ? unknown.get(0) : unknown,
                "Remove the field or rename it to one of " + String.join(", ", ACCEPTED_FIELDS)
                        + "; steering is available through POST /v1/generations.");
    }

    /**
     * Streams chunks as {@code data:} lines and ends with {@code data: [DONE]}, as OpenAI does. The request
     * is admitted before the stream begins, so a full queue is a 429 response. A failure after that ends
     * the stream with a {@code data:} line {@code {"error": problem detail}} in place of {@code [DONE]}.
     */
    private SseEmitter stream(DetoxGenerationService.Plan plan, String model) {
        SseEmitter emitter = new SseEmitter(0L);
        AtomicBoolean disconnected = new AtomicBoolean();
        emitter.onCompletion(() -> disconnected.set(true));
        emitter.onTimeout(() -> disconnected.set(true));
        emitter.onError(error -> disconnected.set(true));
        UUID generationId = UUID.randomUUID();
        String id = COMPLETION_ID_PREFIX + generationId;
        long created = Instant.now().getEpochSecond();
        TokenListener listener = new TokenListener() {
            @Override
            public void onToken(int tokenId, String textDelta) {
                send(emitter, disconnected, chunk(id, created, model, textDelta, null));
            }

            @Override
            public void onFinish(FinishReason reason, String textDelta) {
                send(emitter, disconnected, chunk(id, created, model, textDelta, FinishReasons.openAi(reason)));
            }
        };
        DetoxGenerationService.Started started = service.start(generationId, plan, "completions/stream", listener);
        streamExecutor.execute(() -> {
            try {
                started.await(disconnected::get);
                send(emitter, disconnected, "[DONE]");
            } catch (RuntimeException e) {
                log.error("Streamed completion {} failed", id, e);
                send(emitter, disconnected, Map.of("error", StreamProblems.of(e, id)));
            }
            emitter.complete();
        });
        return emitter;
    }

    private static Completion chunk(String id, long created, String model, String text, String finishReason) {
        return new Completion(id, "text_completion", created, model, List.of(new Choice(text, 0, null,
                finishReason)), null);
    }

    private static void send(SseEmitter emitter, AtomicBoolean disconnected, Object data) {
        if (disconnected.get()) {
            return;
        }
        try {
            MediaType type = data instanceof String ? MediaType.TEXT_PLAIN : MediaType.APPLICATION_JSON;
            emitter.send(SseEmitter.event().data(data, type));
        } catch (IOException | IllegalStateException e) {
            disconnected.set(true);
        }
    }
}
