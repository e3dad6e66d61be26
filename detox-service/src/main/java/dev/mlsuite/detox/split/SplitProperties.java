package dev.mlsuite.detox.split;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of prefill/decode phase splitting ({@code detox.split.*}).
 *
 * @param enabled whether the split endpoints and their model are started; false by default
 * @param role what this instance does with the two phases
 * @param modelFolder empty (default) to use the service's model and SAE ({@code detox.language-model},
 *     {@code detox.sae}), which can steer; or the path of a folder, relative to the working directory, with a
 *     llama2.c model ({@code stories260K.bin}, {@code tok512.bin}) that the split endpoints use without steering
 * @param maxActiveSequences maximum number of sequences in one batched decode step
 * @param maxWaitingRequests maximum number of requests waiting, and more get 429. On a prefill instance they
 *     wait for or run their prefill, elsewhere they wait to join the decode loop.
 * @param maxTokens maximum {@code maxTokens} of one request
 * @param decodeInstances base URLs of decode instances that a prefill instance hands sequences to
 * @param statusTimeout time limit of one decode-status call while choosing an instance
 * @param connectTimeout time limit to open a connection to a decode instance
 * @param handoverTimeout time limit from sending a sequence until the decode instance accepts it
 * @param tokenTimeout maximum gap between two streamed lines of a decode instance before it counts as failed
 * @param generationTimeout time limit of one whole generation, and of one response stream, in every role
 * @param maxFrameSize largest hand-over frame a decode instance reads; a larger body gets 400
 * @param retryAfter delay sent in the {@code Retry-After} header of a 429 response
 */
@ConfigurationProperties("detox.split")
public record SplitProperties(
        Boolean enabled, SplitRole role, String modelFolder, Integer maxActiveSequences, Integer maxWaitingRequests,
        Integer maxTokens, List<URI> decodeInstances, Duration statusTimeout, Duration connectTimeout,
        Duration handoverTimeout, Duration tokenTimeout, Duration generationTimeout, DataSize maxFrameSize,
        Duration retryAfter) {

    public SplitProperties {
        enabled = enabled != null && enabled;
        role = role == null ? SplitRole.MONOLITHIC : role;
        modelFolder = modelFolder == null ? "" : modelFolder.strip();
        maxActiveSequences = maxActiveSequences == null ? 32 : maxActiveSequences;
        maxWaitingRequests = maxWaitingRequests == null ? 64 : maxWaitingRequests;
        maxTokens = maxTokens == null ? 256 : maxTokens;
        decodeInstances = decodeInstances == null ? List.of() : List.copyOf(decodeInstances);
        statusTimeout = statusTimeout == null ? Duration.ofMillis(500) : statusTimeout;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(1) : connectTimeout;
        handoverTimeout = handoverTimeout == null ? Duration.ofSeconds(5) : handoverTimeout;
        tokenTimeout = tokenTimeout == null ? Duration.ofSeconds(30) : tokenTimeout;
        generationTimeout = generationTimeout == null ? Duration.ofMinutes(10) : generationTimeout;
        maxFrameSize = maxFrameSize == null ? DataSize.ofMegabytes(16) : maxFrameSize;
        retryAfter = retryAfter == null ? Duration.ofSeconds(1) : retryAfter;
        if (maxFrameSize.toBytes() < 1 || maxFrameSize.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("detox.split.max-frame-size must be between 1 byte and 2 GB, got "
                    + maxFrameSize);
        }
        if (generationTimeout.isNegative() || generationTimeout.isZero()) {
            throw new IllegalArgumentException("detox.split.generation-timeout must be positive, got "
                    + generationTimeout);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("detox.split.max-tokens must be at least 1, got " + maxTokens);
        }
        if (role == SplitRole.PREFILL && decodeInstances.isEmpty()) {
            // Valid but degenerate: every sequence is decoded locally, as after failed hand-overs.
            org.slf4j.LoggerFactory.getLogger(SplitProperties.class).warn(
                    "detox.split.role is PREFILL but detox.split.decode-instances is empty; sequences decode locally");
        }
    }
}
