package dev.mlsuite.detection.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.mlsuite.detection.api.DetectionDtos.DetectionResponse;
import dev.mlsuite.detection.api.DetectionDtos.ModelView;
import dev.mlsuite.detection.api.DetectionDtos.SentenceView;
import dev.mlsuite.detection.api.DetectionDtos.TimingsView;
import dev.mlsuite.detection.model.DetectorModel;
import dev.mlsuite.detection.model.DocumentInput;
import dev.mlsuite.detection.model.DocumentScores;
import dev.mlsuite.detection.model.ModelIdentity;
import dev.mlsuite.detection.model.TextSpan;
import dev.mlsuite.detection.persistence.DetectionRecord;
import dev.mlsuite.detection.persistence.DetectionRepository;
import dev.mlsuite.platform.inference.MicroBatcher;
import dev.mlsuite.platform.inference.ModelRegistry;
import dev.mlsuite.platform.web.ApiException;
import dev.mlsuite.platform.web.CorrelationIdFilter;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scores texts with the configured detector, stores every result and returns it: validation,
 * sentence splitting, micro-batched inference, labelling by threshold, persistence.
 */
@Service
public class DetectionService {

    private static final Logger log = LoggerFactory.getLogger(DetectionService.class);

    private final ModelRegistry registry;
    private final DetectionRepository repository;
    private final DetectionProperties properties;
    private final JsonMapper json;

    public DetectionService(ModelRegistry registry, DetectionRepository repository, DetectionProperties properties,
            JsonMapper json) {
        this.registry = registry;
        this.repository = repository;
        this.properties = properties;
        this.json = json;
    }

    /**
     * Scores each text and stores the results.
     *
     * @param texts validated non-blank texts
     * @param receivedNanos {@link System#nanoTime()} when the request arrived, for {@code totalMs}
     * @return one result per text, in input order
     */
    public List<DetectionResponse> detect(List<String> texts, long receivedNanos) {
        List<DocumentInput> inputs = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            inputs.add(new DocumentInput(texts.get(i), sentencesOf(texts, i)));
        }

        MicroBatcher<DocumentInput, DocumentScores> batcher = registry.batcher(properties.model());
        List<CompletableFuture<TimedScores>> futures = new ArrayList<>(inputs.size());
        for (DocumentInput input : inputs) {
            long submitted = System.nanoTime();
            futures.add(batcher.submit(input).thenApply(scores -> new TimedScores(scores, submitted, System.nanoTime())));
        }
        List<TimedScores> scores = futures.stream().map(DetectionService::await).toList();

        DetectorModel model = registry.model(properties.model(), DetectorModel.class);
        ModelIdentity identity = model.detector().identity();
        String tokenReduction = model.tokenReduction();
        double threshold = properties.threshold() != null ? properties.threshold() : model.detector().defaultThreshold();
        String requestId = CorrelationIdFilter.currentId();
        Instant now = Instant.now();
        double totalMs = (System.nanoTime() - receivedNanos) / 1e6;

        List<DetectionRecord> records = new ArrayList<>(inputs.size());
        List<DetectionResponse> responses = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            DocumentInput input = inputs.get(i);
            TimedScores timed = scores.get(i);
            List<SentenceView> sentences = sentenceViews(input.sentences(), timed.scores().sentenceProbabilities());
            double probability = timed.scores().probability();
            String label = probability >= threshold ? "ai" : "human";
            double modelMs = timed.scores().modelMillis();
            double queueMs = Math.max(0, (timed.completedNanos() - timed.submittedNanos()) / 1e6 - modelMs);
            UUID id = UUID.randomUUID();

            records.add(new DetectionRecord(id, identity.name(), identity.version(), sha256(input.text()),
                    input.text().length(), properties.storeText() ? input.text() : null, label, probability, threshold,
                    sentences.size(), json.writeValueAsString(sentences), queueMs, modelMs, totalMs, requestId, now,
                    tokenReduction));
            responses.add(new DetectionResponse(id.toString(), label, probability, threshold,
                    new ModelView(identity.name(), identity.version(), tokenReduction), sentences,
                    new TimingsView(queueMs, modelMs, totalMs)));
        }
        repository.saveAll(records);
        log.info("Stored {} detection(s) by model {}:{} with token reduction {}", records.size(), identity.name(),
                identity.version(), tokenReduction);
        return responses;
    }

    /**
     * Returns a stored detection.
     *
     * @throws ApiException 404 when no detection has that id
     */
    public DetectionResponse find(UUID id) {
        DetectionRecord record = repository.findById(id).orElseThrow(() -> ApiException.notFound(
                "detection-not-found", "No detection has the id " + id + ".", id.toString(),
                "Use an id returned by POST /v1/detections; stored detections are never changed."));
        List<SentenceView> sentences = json.readValue(record.getSentences(), new TypeReference<List<SentenceView>>() {
        });
        return new DetectionResponse(record.getId().toString(), record.getLabel(), record.getProbability(),
                record.getThreshold(), new ModelView(record.getModelName(), record.getModelVersion(),
                        record.getTokenReduction()), sentences,
                new TimingsView(record.getQueueMs(), record.getModelMs(), record.getTotalMs()));
    }

    private List<TextSpan> sentencesOf(List<String> texts, int index) {
        List<TextSpan> sentences = SentenceSplitter.split(texts.get(index));
        if (sentences.size() > properties.maxSentences()) {
            String field = texts.size() == 1 ? "text" : "texts[" + index + "]";
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "too-many-sentences", "Input too large",
                    field + " has " + sentences.size() + " sentences, more than the limit of "
                            + properties.maxSentences() + " (detection.max-sentences).",
                    sentences.size(), "Split the text into parts of at most " + properties.maxSentences()
                            + " sentences.");
        }
        return sentences;
    }

    private static List<SentenceView> sentenceViews(List<TextSpan> spans, double[] probabilities) {
        List<SentenceView> views = new ArrayList<>(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            views.add(new SentenceView(spans.get(i).start(), spans.get(i).end(), probabilities[i]));
        }
        return views;
    }

    private static TimedScores await(CompletableFuture<TimedScores> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** Scores of one document with the time it was submitted and the time its batch completed. */
    private record TimedScores(DocumentScores scores, long submittedNanos, long completedNanos) {
    }
}
