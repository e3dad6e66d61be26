package dev.mlsuite.detox.split;

import dev.mlsuite.inference.generation.FinishReason;
import dev.mlsuite.inference.generation.SequenceState;
import dev.mlsuite.inference.generation.SequenceStateCodec;
import dev.mlsuite.inference.generation.TokenListener;
import dev.mlsuite.inference.generation.batching.AdmissionRejectedException;
import dev.mlsuite.inference.generation.batching.ContinuousBatcher;
import dev.mlsuite.inference.generation.batching.GenerationHandle;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.platform.web.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Internal endpoints of a decode instance: its load, read by prefill instances to choose where to
 * hand over, and the hand-over itself, which responds with the continued token stream as NDJSON.
 */
@RestController
@ConditionalOnProperty(prefix = "detox.split", name = "enabled", havingValue = "true")
class DecodeSessionController {

    private static final Logger log = LoggerFactory.getLogger(DecodeSessionController.class);
    static final String NDJSON = "application/x-ndjson";

    private final SplitProperties properties;
    private final SplitModel model;
    private final ContinuousBatcher batcher;
    private final SequenceStateCodec codec;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Map<String, GenerationHandle> sessions = new ConcurrentHashMap<>(); // by request id
    private final ExecutorService writers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "decode-session-writer");
        thread.setDaemon(true);
        return thread;
    });

    DecodeSessionController(SplitProperties properties, SplitModel model, ContinuousBatcher batcher,
            SequenceStateCodec codec, JsonMapper json, MeterRegistry meters) {
        this.properties = properties;
        this.model = model;
        this.batcher = batcher;
        this.codec = codec;
        this.json = json;
        this.meters = meters;
    }

    /**
     * Load of this instance.
     *
     * @param accepting whether {@code POST /internal/v1/decode-sessions} takes sequences in this role
     */
    record DecodeStatus(String role, int activeSequences, int waitingRequests, int maxActiveSequences,
            boolean accepting) {
    }

    @GetMapping("/internal/v1/decode-status")
    DecodeStatus status() {
        return new DecodeStatus(properties.role().name(), batcher.activeSequences(), batcher.waitingRequests(),
                properties.maxActiveSequences(), properties.role() != SplitRole.PREFILL);
    }

    /**
     * Restores a handed-over sequence, joins it to the decode loop and streams its next tokens. A
     * write that fails because the caller disconnected cancels the sequence.
     */
    @PostMapping(path = "/internal/v1/decode-sessions", consumes = HandoverFrame.MEDIA_TYPE, produces = NDJSON)
    ResponseEntity<ResponseBodyEmitter> decode(HttpServletRequest request) throws IOException {
        if (properties.role() == SplitRole.PREFILL) {
            throw new ApiException(HttpStatus.CONFLICT, "not-a-decode-instance", "Not a decode instance",
                    "This instance has role PREFILL and does not decode handed-over sequences", "PREFILL",
                    "Send the sequence to an instance with detox.split.role DECODE");
        }
        byte[] body = readFrame(request);
        HandoverFrame frame;
        try {
            frame = HandoverFrame.decode(body);
        } catch (IllegalArgumentException e) {
            throw invalidFrame(e, body);
        }
        checkModel(frame);
        Hooks hooks;
        try {
            hooks = model.hooks(frame.steering());
        } catch (SplitModel.SteeringMismatchException e) {
            log.info("Rejected steered hand-over of request {}: {}", frame.requestId(), e.getMessage());
            throw new ApiException(HttpStatus.CONFLICT, "handover-sae-mismatch", "SAE mismatch", e.getMessage(),
                    e.localValue(), "Hand the sequence to a decode instance with the same SAE, or decode it locally");
        } catch (IllegalArgumentException e) {
            throw invalidFrame(e, body);
        }

        SequenceState state;
        try {
            state = codec.restore(frame.state(), hooks, TokenListener.NONE);
        } catch (IllegalArgumentException e) {
            throw invalidFrame(e, body);
        }

        BlockingQueue<StreamLine> lines = new LinkedBlockingQueue<>();
        state.listener(new QueueListener(lines, frame.streamedTokens()));
        GenerationHandle handle;
        try {
            handle = batcher.join(state);
        } catch (AdmissionRejectedException e) {
            state.close();
            log.info("Rejected hand-over of request {}: {}", frame.requestId(), e.getMessage());
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "decode-instance-full", "Decode instance full",
                    e.getMessage(), e.maxWaitingRequests(), "Hand the sequence to another decode instance");
        }
        sessions.put(frame.requestId(), handle);
        handle.result().whenComplete((result, failure) -> {
            sessions.remove(frame.requestId(), handle);
            if (failure != null) {
                lines.add(StreamLine.error(failure.getMessage()));
            }
        });
        meters.counter("detox.split.decode.sessions").increment();
        log.debug("Accepted hand-over of request {} at token {}", frame.requestId(), frame.streamedTokens());

        // The emitter commits the 200 status at once, which tells the prefill instance that the hand-over was accepted.
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(properties.generationTimeout().toMillis());
        emitter.onTimeout(handle::cancel);
        emitter.onError(failure -> handle.cancel());
        writers.execute(() -> relay(lines, emitter, handle, frame.requestId()));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(NDJSON)).body(emitter);
    }

    /**
     * Cancels the decode session of {@code requestId}, which a prefill instance calls when it gave up
     * waiting for the session and decodes the sequence elsewhere. Returns 204, or 404 when no such
     * session runs here (it already ended).
     */
    @DeleteMapping("/internal/v1/decode-sessions/{requestId}")
    ResponseEntity<Void> cancel(@PathVariable String requestId) {
        GenerationHandle handle = sessions.remove(requestId);
        if (handle == null) {
            return ResponseEntity.notFound().build();
        }
        handle.cancel();
        meters.counter("detox.split.decode.sessions.cancelled").increment();
        log.info("Cancelled decode session of request {} at the prefill instance's request", requestId);
        return ResponseEntity.noContent().build();
    }

    /**
     * Reads the request body, checking the limit {@code detox.split.max-frame-size} against the declared
     * length first and against the bytes read, so that an oversized body is never read whole.
     */
    private byte[] readFrame(HttpServletRequest request) throws IOException {
        long maxBytes = properties.maxFrameSize().toBytes();
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw frameTooLarge(declared + " bytes", maxBytes);
        }
        byte[] body = request.getInputStream().readNBytes((int) maxBytes + 1);
        if (body.length > maxBytes) {
            throw frameTooLarge("more than " + maxBytes + " bytes", maxBytes);
        }
        return body;
    }

    private static ApiException frameTooLarge(String size, long maxBytes) {
        return ApiException.badRequest("invalid-handover", "The hand-over frame has " + size + ", more than the"
                + " limit of " + maxBytes + " bytes (setting detox.split.max-frame-size)", size,
                "Send a smaller sequence, or raise detox.split.max-frame-size on the decode instances");
    }

    /** Rejects a frame computed with other model weights, which would continue the KV cache with wrong tokens. */
    private void checkModel(HandoverFrame frame) {
        if (frame.modelDigest() != null && !frame.modelDigest().equals(model.modelDigest())) {
            log.info("Rejected hand-over of request {}: model sha256 {} differs from this instance's {}",
                    frame.requestId(), frame.modelDigest(), model.modelDigest());
            throw new ApiException(HttpStatus.CONFLICT, "handover-model-mismatch", "Model mismatch",
                    "The sequence was prefilled with the model of sha256 " + frame.modelDigest()
                            + " but this instance has the model of sha256 " + model.modelDigest(),
                    model.modelDigest(), "Hand the sequence to a decode instance with the same model files");
        }
    }

    private static ApiException invalidFrame(IllegalArgumentException e, byte[] body) {
        return ApiException.badRequest("invalid-handover", e.getMessage(), body.length + " bytes",
                "Send a hand-over frame of version " + HandoverFrame.OLDEST_READABLE_VERSION + " to "
                        + HandoverFrame.VERSION + " from an instance with the same model, as described in"
                        + " docs/splitwise.md");
    }

    private void relay(BlockingQueue<StreamLine> lines, ResponseBodyEmitter emitter, GenerationHandle handle,
            String requestId) {
        try {
            while (true) {
                StreamLine line = lines.take();
                emitter.send(json.writeValueAsString(line) + "\n", MediaType.TEXT_PLAIN);
                if (!line.type().equals("token")) {
                    emitter.complete();
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            log.info("Caller of decode session {} disconnected; cancelling the sequence", requestId);
            handle.cancel();
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stopWriters() {
        writers.shutdownNow();
    }

    /** Puts the listener calls of the decode loop into a queue that the response thread drains. */
    private record QueueListener(BlockingQueue<StreamLine> lines, int firstIndex, int[] count) implements TokenListener {

        QueueListener(BlockingQueue<StreamLine> lines, int firstIndex) {
            this(lines, firstIndex, new int[1]);
        }

        @Override
        public void onToken(int tokenId, String textDelta) {
            lines.add(StreamLine.token(firstIndex + count[0]++, tokenId, textDelta));
        }

        @Override
        public void onFinish(FinishReason reason, String textDelta) {
            lines.add(StreamLine.finish(reason.name(), textDelta));
        }
    }
}
