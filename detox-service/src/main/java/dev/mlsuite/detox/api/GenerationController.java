package dev.mlsuite.detox.api;

import dev.mlsuite.detox.generation.GenerationOutcome;
import dev.mlsuite.detox.persistence.GenerationRecord;
import dev.mlsuite.detox.sae.ToxicityFeatures;
import dev.mlsuite.inference.generation.FinishReason;
import dev.mlsuite.inference.generation.TokenListener;
import dev.mlsuite.platform.web.ApiException;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Text generation with toxicity steering, as one response or as Server-Sent Events. */
@RestController
public class GenerationController {

    private static final Logger log = LoggerFactory.getLogger(GenerationController.class);

    private final DetoxGenerationService service;
    private final ExecutorService streamExecutor;

    public GenerationController(DetoxGenerationService service, ExecutorService detoxStreamExecutor) {
        this.service = service;
        this.streamExecutor = detoxStreamExecutor;
    }

    @PostMapping(path = "/v1/generations", produces = MediaType.APPLICATION_JSON_VALUE)
    public GenerationResponse generate(@RequestBody GenerationRequest request) {
        DetoxGenerationService.Plan plan = service.plan(request);
        return GenerationResponse.of(service.generate(plan, "generations", TokenListener.NONE, () -> false));
    }

    /**
     * Streams {@code token} events ({@code {"token", "text"}}) and one final {@code done} event with
     * the whole response, or an {@code error} event with a problem detail when the generation fails after
     * the stream began. The request is admitted before the stream begins, so a full queue is a 429
     * response. A client that disconnects stops the generation at the next token.
     */
    @PostMapping(path = "/v1/generations/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream(@RequestBody GenerationRequest request) {
        DetoxGenerationService.Plan plan = service.plan(request);
        SseEmitter emitter = new SseEmitter(0L);
        AtomicBoolean disconnected = new AtomicBoolean();
        emitter.onCompletion(() -> disconnected.set(true));
        emitter.onTimeout(() -> disconnected.set(true));
        emitter.onError(error -> disconnected.set(true));
        DetoxGenerationService.Started started = service.start(plan, "generations/stream",
                streamListener(emitter, disconnected));
        streamExecutor.execute(() -> runStream(started, emitter, disconnected));
        return emitter;
    }

    private static TokenListener streamListener(SseEmitter emitter, AtomicBoolean disconnected) {
        return new TokenListener() {
            @Override
            public void onToken(int tokenId, String textDelta) {
                send(emitter, disconnected, "token", Map.of("token", tokenId, "text", textDelta));
            }

            @Override
            public void onFinish(FinishReason reason, String textDelta) {
                if (!textDelta.isEmpty()) {
                    send(emitter, disconnected, "token", Map.of("token", -1, "text", textDelta));
                }
            }
        };
    }

    private void runStream(DetoxGenerationService.Started started, SseEmitter emitter, AtomicBoolean disconnected) {
        try {
            GenerationOutcome outcome = started.await(disconnected::get);
            if (outcome.finishReason() == FinishReason.CANCELLED) {
                log.info("Generation {} stopped after {} tokens because the client disconnected", outcome.id(),
                        outcome.tokens().length);
                return;
            }
            send(emitter, disconnected, "done", GenerationResponse.of(outcome));
            emitter.complete();
        } catch (RuntimeException e) {
            log.error("Streamed generation {} failed", started.id(), e);
            send(emitter, disconnected, "error", StreamProblems.of(e, started.id().toString()));
            emitter.complete();
        }
    }

    private static void send(SseEmitter emitter, AtomicBoolean disconnected, String event, Object data) {
        if (disconnected.get()) {
            return;
        }
        try {
            emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            disconnected.set(true);
        }
    }

    /**
     * Returns a stored generation. The id is a UUID, or a completion id of {@code POST /v1/completions}:
     * {@code cmpl-} followed by the UUID.
     */
    @GetMapping(path = "/v1/generations/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public StoredGeneration find(@PathVariable String id) {
        String uuidText = id.startsWith(CompletionsController.COMPLETION_ID_PREFIX)
                ? id.substring(CompletionsController.COMPLETION_ID_PREFIX.length()) : id;
        UUID uuid;
        try {
            uuid = UUID.fromString(uuidText);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-id", "'" + id + "' is neither a UUID nor cmpl- and a UUID", id,
                    "Use an id returned by POST /v1/generations or POST /v1/completions.");
        }
        GenerationRecord record = service.find(uuid);
        return new StoredGeneration(record.getId().toString(), record.getCreatedAt().toString(),
                record.getEndpoint(), record.getPrompt(), record.getGeneratedText(), record.getGeneratedTokens(),
                record.getFinishReason(), record.getToxicity(), record.getSteeringTier(),
                record.getSteeringStrength(), record.getSteeringFeatures(), record.getSeed());
    }

    /** A stored generation as {@code GET /v1/generations/{id}} returns it. */
    public record StoredGeneration(String id, String createdAt, String endpoint, String prompt, String text,
            int tokens, String finishReason, double toxicity, String steeringTier, float steeringStrength,
            String steeringFeatures, long seed) {
    }

    /** Lists the SAE features that steering moves away from, with their evidence. */
    @GetMapping(path = "/v1/features", produces = MediaType.APPLICATION_JSON_VALUE)
    public FeaturesResponse features() {
        ToxicityFeatures features = service.models().features();
        return new FeaturesResponse(service.models().sae().hookName(), service.models().sae().dSae(),
                features.selection(), features.features());
    }

    /** Response of {@code GET /v1/features}. */
    public record FeaturesResponse(String hookName, int dSae, String selection,
            java.util.List<ToxicityFeatures.Feature> features) {
    }
}
