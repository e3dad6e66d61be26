package dev.mlsuite.detox.split;

import dev.mlsuite.detox.api.DetoxGenerationService;
import dev.mlsuite.detox.api.FinishReasons;
import dev.mlsuite.detox.api.GenerationRequest;
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
     * Generation request, validated as in {@code POST /v1/generations} and with the same defaults.
     * {@code temperature} 0 is greedy decoding. Without {@code steering} the sequence is not steered.
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
        SamplingSettings settings = settings(request);
        Steering steering = steering(request);
        Runnable cancel = service.start(id, promptTokens, settings, steering, sink);
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
                FinishReasons.name(sink.finishReason), properties.role().name(), decodedBy,
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
        SamplingSettings settings = settings(request);
        sink.cancel = service.start(id, promptTokens, settings, steering(request), sink);
        emitter.onTimeout(sink.cancel);
        emitter.onError(failure -> sink.cancel.run());
        return emitter;
    }

    /** Checks the prompt as {@code POST /v1/generations} does, against the context of the split model. */
    private int[] promptTokens(SplitGenerationRequest request) {
        detox.checkPrompt(request.prompt());
        int[] tokens = language.tokenizer().encode(request.prompt(), true);
        DetoxGenerationService.checkPromptTokens(tokens.length, language.model().maxSequenceLength());
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

    /** Validates the sampling fields as {@code POST /v1/generations} does, with the limit detox.split.max-tokens. */
    private SamplingSettings settings(SplitGenerationRequest request) {
        GenerationRequest generation = new GenerationRequest(request.prompt(), request.maxTokens(),
                request.temperature(), request.topP(), request.topK(), request.seed(), request.steering());
        return detox.samplingSettings(generation, properties.maxTokens());
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
            send("finish", Map.of("finishReason", FinishReasons.name(reason), "text", textDelta));
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
