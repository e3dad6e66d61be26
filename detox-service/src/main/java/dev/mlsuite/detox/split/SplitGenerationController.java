package dev.mlsuite.detox.split;

import dev.mlsuite.detox.api.DetoxGenerationService;
import dev.mlsuite.detox.api.GenerationRequest.SteeringRequest;
import dev.mlsuite.detox.api.GenerationResponse.SteeringView;
import dev.mlsuite.detox.api.StreamProblems;
import dev.mlsuite.detox.generation.Steering;
import dev.mlsuite.inference.generation.FinishReason;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.platform.web.ApiException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Generation endpoints that follow this instance's {@link SplitRole} and report where the sequence was
 * decoded. They take the same {@code steering} object as {@code POST /v1/generations} but neither score
 * nor store the text. Every role serves them, so a client or the gateway can call a prefill instance
 * and a monolithic one alike.
 */
@RestController
@ConditionalOnProperty(prefix = "detox.split", name = "enabled", havingValue = "true")
class SplitGenerationController {

    private static final Logger log = LoggerFactory.getLogger(SplitGenerationController.class);

    private final SplitProperties properties;
    private final SplitGenerationService service;
    private final LanguageModel language;
    private final DetoxGenerationService detox;

    SplitGenerationController(SplitProperties properties, SplitGenerationService service, SplitModel splitModel,
            DetoxGenerationService detox) {
        this.properties = properties;
        this.service = service;
        this.language = splitModel.languageModel();
        this.detox = detox;
    }

    /**
     * Generation request; unset fields take the defaults of {@link SamplingSettings.Builder}, and
     * {@code temperature} 0 is greedy decoding. {@code steering} is validated as in
     * {@code POST /v1/generations}; without it the sequence is not steered.
     */
    record SplitGenerationRequest(String prompt, Integer maxTokens, Float temperature, Float topP, Integer topK,
            Long seed, SteeringRequest steering) {
    }

    /**
     * Result of a generation.
     *
     * @param promptTokens number of prompt tokens, BOS included
     * @param decodedBy base URL of the decode instance, or {@code local}
     * @param steering steering that was applied, or null without a {@code steering} object
     * @param timings {@code timeToFirstTokenMillis}, {@code totalMillis}, and {@code transferMillis} and
     *     {@code transferBytes} summed over all accepted hand-overs (0 without one)
     */
    record SplitGenerationResponse(String id, String text, List<Integer> tokens, int promptTokens,
            String finishReason, String role, String decodedBy, SteeringView steering, Map<String, Number> timings) {
    }

    @PostMapping("/v1/split/generations")
    SplitGenerationResponse generate(@RequestBody SplitGenerationRequest request) throws InterruptedException {
        String id = UUID.randomUUID().toString();
        CollectingSink sink = new CollectingSink();
        int[] promptTokens = promptTokens(request);
        Steering steering = steering(request);
        Runnable cancel = service.start(id, promptTokens, settings(request), steering, sink);
        try {
            sink.done.get(properties.generationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            cancel.run();
            throw SplitGenerationService.timedOut(id, properties.generationTimeout());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException problem) {
                throw problem;
            }
            log.warn("Generation {} failed: {}", id, e.getCause().toString());
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "generation-failed", "Generation failed",
                    "Generation " + id + " failed after it started: " + e.getCause().getMessage(), id,
                    "Retry the request; the service log has the cause under this generation id.");
        }
        long endNanos = System.nanoTime();
        Map<String, Number> timings = Map.of(
                "timeToFirstTokenMillis", (sink.firstTokenNanos - sink.startNanos) / 1e6,
                "totalMillis", (endNanos - sink.startNanos) / 1e6,
                "transferMillis", sink.transferNanos / 1e6,
                "transferBytes", sink.transferBytes);
        String decodedBy = sink.decodedBy == null ? "local" : sink.decodedBy.toString();
        return new SplitGenerationResponse(id, sink.text.toString(), sink.tokens, promptTokens.length,
                sink.finishReason.name(), properties.role().name(), decodedBy,
                steering == null ? null : SteeringView.of(steering), timings);
    }

    /**
     * Streams the generation as Server-Sent Events: {@code token} events with {@code index},
     * {@code token} and {@code text}, then one {@code finish} or {@code error} event. A client that
     * disconnects cancels the generation.
     */
    @PostMapping(path = "/v1/split/generations/stream", produces = "text/event-stream")
    SseEmitter stream(@RequestBody SplitGenerationRequest request) {
        String id = UUID.randomUUID().toString();
        SseEmitter emitter = new SseEmitter(properties.generationTimeout().toMillis());
        SseSink sink = new SseSink(id, emitter);
        int[] promptTokens = promptTokens(request);
        sink.cancel = service.start(id, promptTokens, settings(request), steering(request), sink);
        emitter.onTimeout(sink.cancel);
        emitter.onError(failure -> sink.cancel.run());
        return emitter;
    }

    private int[] promptTokens(SplitGenerationRequest request) {
        if (request.prompt() == null || request.prompt().isBlank()) {
            throw ApiException.badRequest("invalid-prompt", "The prompt is missing or blank", request.prompt(),
                    "Send a non-empty prompt");
        }
        int[] tokens = language.tokenizer().encode(request.prompt(), true);
        int contextLength = language.model().maxSequenceLength();
        if (tokens.length >= contextLength) {
            throw ApiException.tooLarge("The prompt has " + tokens.length + " tokens but the model reads at most "
                    + (contextLength - 1) + " before the first generated token", tokens.length,
                    "Shorten the prompt");
        }
        return tokens;
    }

    private Steering steering(SplitGenerationRequest request) {
        if (request.steering() == null) {
            return null;
        }
        if (!service.canSteer()) {
            throw ApiException.badRequest("steering-unavailable", "The split endpoints of this instance run model "
                    + language.model().name() + ", which has no SAE, so they cannot steer", request.steering(),
                    "Leave out 'steering', or unset detox.split.model-folder to use the service's model and SAE");
        }
        return detox.steering(request.steering());
    }

    private SamplingSettings settings(SplitGenerationRequest request) {
        SamplingSettings.Builder builder = SamplingSettings.builder();
        if (request.maxTokens() != null) {
            if (request.maxTokens() < 1 || request.maxTokens() > properties.maxTokens()) {
                throw ApiException.badRequest("invalid-max-tokens", "maxTokens must be between 1 and "
                        + properties.maxTokens(), request.maxTokens(), "Set maxTokens within the limit");
            }
            builder.maxTokens(request.maxTokens());
        }
        if (request.temperature() != null) {
            builder.temperature(request.temperature());
        }
        if (request.topP() != null) {
            builder.topP(request.topP());
        }
        if (request.topK() != null) {
            builder.topK(request.topK());
        }
        if (request.seed() != null) {
            builder.seed(request.seed());
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-sampling-settings", e.getMessage(), request,
                    "Use temperature >= 0, topK >= 0 and topP in (0, 1]");
        }
    }

    /** Collects a whole generation for the non-streaming endpoint. */
    private static final class CollectingSink implements TokenSink {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final StringBuilder text = new StringBuilder();
        final List<Integer> tokens = new ArrayList<>();
        final long startNanos = System.nanoTime();
        volatile long firstTokenNanos;
        volatile FinishReason finishReason;
        volatile URI decodedBy;
        volatile long transferNanos;
        volatile int transferBytes;

        @Override
        public synchronized void token(int index, int tokenId, String textDelta) {
            if (index == 0) {
                firstTokenNanos = System.nanoTime();
            }
            tokens.add(tokenId);
            text.append(textDelta);
        }

        @Override
        public synchronized void finish(FinishReason reason, String textDelta) {
            if (firstTokenNanos == 0) {
                firstTokenNanos = System.nanoTime();
            }
            text.append(textDelta);
            finishReason = reason;
            done.complete(null);
        }

        @Override
        public void fail(RuntimeException failure) {
            done.completeExceptionally(failure);
        }

        @Override
        public synchronized void decodedBy(URI instance, int bytes, long nanos) {
            decodedBy = instance;
            transferBytes += bytes;
            transferNanos += nanos;
        }
    }

    /** Sends each token as a Server-Sent Event. */
    private static final class SseSink implements TokenSink {
        private final String id;
        private final SseEmitter emitter;
        volatile Runnable cancel = () -> { };

        SseSink(String id, SseEmitter emitter) {
            this.id = id;
            this.emitter = emitter;
        }

        // NOTE: for locally decoded sequences this runs on the decode loop, so a slow client delays the
        // other sequences by the time of one blocking write.
        @Override
        public void token(int index, int tokenId, String textDelta) {
            send("token", Map.of("index", index, "token", tokenId, "text", textDelta));
        }

        @Override
        public void finish(FinishReason reason, String textDelta) {
            send("finish", Map.of("finishReason", reason.name(), "text", textDelta));
            emitter.complete();
        }

        @Override
        public void fail(RuntimeException failure) {
            log.warn("Generation {} failed: {}", id, failure.toString());
            send("error", StreamProblems.of(failure, id));
            emitter.complete();
        }

        private void send(String event, Object data) {
            try {
                emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                log.info("Client of generation {} disconnected; cancelling it", id);
                cancel.run();
            }
        }
    }
}
