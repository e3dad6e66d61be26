package dev.mlsuite.detection.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One stored detection: model, input digest, result summary and timings. */
@Entity
@Table(name = "detections")
public class DetectionRecord {

    @Id
    private UUID id;

    @Column(name = "model_name", nullable = false)
    private String modelName;

    @Column(name = "model_version", nullable = false)
    private String modelVersion;

    /** Lower-case hex SHA-256 of the UTF-8 input text. */
    @Column(name = "input_sha256", nullable = false)
    private String inputSha256;

    @Column(name = "input_chars", nullable = false)
    private int inputChars;

    /** The input text, or null unless {@code detection.store-text} is true. */
    @Column(name = "input_text")
    private String inputText;

    @Column(nullable = false)
    private String label;

    @Column(nullable = false)
    private double probability;

    @Column(nullable = false)
    private double threshold;

    @Column(name = "sentence_count", nullable = false)
    private int sentenceCount;

    /** Sentence spans and probabilities as a JSON array of {@code {"start","end","probability"}}. */
    @Column(nullable = false)
    private String sentences;

    @Column(name = "queue_ms", nullable = false)
    private double queueMs;

    @Column(name = "model_ms", nullable = false)
    private double modelMs;

    @Column(name = "total_ms", nullable = false)
    private double totalMs;

    @Column(name = "request_id")
    private String requestId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** Label of the encoder's token reduction, such as {@code none}, or null in rows stored before it was recorded. */
    @Column(name = "token_reduction")
    private String tokenReduction;

    protected DetectionRecord() {
    }

    public DetectionRecord(UUID id, String modelName, String modelVersion, String inputSha256, int inputChars,
            String inputText, String label, double probability, double threshold, int sentenceCount, String sentences,
            double queueMs, double modelMs, double totalMs, String requestId, Instant createdAt,
            String tokenReduction) {
        this.id = id;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
        this.inputSha256 = inputSha256;
        this.inputChars = inputChars;
        this.inputText = inputText;
        this.label = label;
        this.probability = probability;
        this.threshold = threshold;
        this.sentenceCount = sentenceCount;
        this.sentences = sentences;
        this.queueMs = queueMs;
        this.modelMs = modelMs;
        this.totalMs = totalMs;
        this.requestId = requestId;
        this.createdAt = createdAt;
        this.tokenReduction = tokenReduction;
    }

    public String getTokenReduction() {
        return tokenReduction;
    }

    public UUID getId() {
        return id;
    }

    public String getModelName() {
        return modelName;
    }

    public String getModelVersion() {
        return modelVersion;
    }

    public String getInputSha256() {
        return inputSha256;
    }

    public int getInputChars() {
        return inputChars;
    }

    public String getInputText() {
        return inputText;
    }

    public String getLabel() {
        return label;
    }

    public double getProbability() {
        return probability;
    }

    public double getThreshold() {
        return threshold;
    }

    public int getSentenceCount() {
        return sentenceCount;
    }

    public String getSentences() {
        return sentences;
    }

    public double getQueueMs() {
        return queueMs;
    }

    public double getModelMs() {
        return modelMs;
    }

    public double getTotalMs() {
        return totalMs;
    }

    public String getRequestId() {
        return requestId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
