package dev.mlsuite.detox.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One stored generation: settings, steering, output, toxicity and timings. */
@Entity
@Table(name = "generations")
public class GenerationRecord {

    @Id
    private UUID id;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(nullable = false)
    private String endpoint;
    @Column(name = "model_name", nullable = false)
    private String modelName;
    @Column(name = "prompt_sha256", nullable = false)
    private String promptSha256;
    @Column(nullable = false)
    private String prompt;
    @Column(name = "prompt_tokens", nullable = false)
    private int promptTokens;
    @Column(name = "max_tokens", nullable = false)
    private int maxTokens;
    @Column(nullable = false)
    private float temperature;
    @Column(name = "top_p", nullable = false)
    private float topP;
    @Column(name = "top_k", nullable = false)
    private int topK;
    @Column(nullable = false)
    private long seed;
    @Column(name = "steering_tier")
    private String steeringTier;
    @Column(name = "steering_strength", nullable = false)
    private float steeringStrength;
    /** Feature ids, comma-separated. */
    @Column(name = "steering_features", nullable = false)
    private String steeringFeatures;
    @Column(name = "generated_text", nullable = false)
    private String generatedText;
    @Column(name = "generated_tokens", nullable = false)
    private int generatedTokens;
    @Column(name = "finish_reason", nullable = false)
    private String finishReason;
    @Column(nullable = false)
    private double toxicity;
    @Column(name = "prefill_millis", nullable = false)
    private double prefillMillis;
    @Column(name = "decode_millis", nullable = false)
    private double decodeMillis;
    @Column(name = "total_millis", nullable = false)
    private double totalMillis;

    protected GenerationRecord() {
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    public GenerationRecord(UUID id, Instant createdAt, String endpoint, String modelName, String promptSha256,
            String prompt, int promptTokens, int maxTokens, float temperature, float topP, int topK, long seed,
            String steeringTier, float steeringStrength, String steeringFeatures, String generatedText,
            int generatedTokens, String finishReason, double toxicity, double prefillMillis, double decodeMillis,
            double totalMillis) {
        this.id = id;
        this.createdAt = createdAt;
        this.endpoint = endpoint;
        this.modelName = modelName;
        this.promptSha256 = promptSha256;
        this.prompt = prompt;
        this.promptTokens = promptTokens;
        this.maxTokens = maxTokens;
        this.temperature = temperature;
        this.topP = topP;
        this.topK = topK;
        this.seed = seed;
        this.steeringTier = steeringTier;
        this.steeringStrength = steeringStrength;
        this.steeringFeatures = steeringFeatures;
        this.generatedText = generatedText;
        this.generatedTokens = generatedTokens;
        this.finishReason = finishReason;
        this.toxicity = toxicity;
        this.prefillMillis = prefillMillis;
        this.decodeMillis = decodeMillis;
        this.totalMillis = totalMillis;
    }

    public UUID getId() {
        return id;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public String getPrompt() {
        return prompt;
    }

    public String getSteeringTier() {
        return steeringTier;
    }

    public float getSteeringStrength() {
        return steeringStrength;
    }

    public String getSteeringFeatures() {
        return steeringFeatures;
    }

    public String getGeneratedText() {
        return generatedText;
    }

    public int getGeneratedTokens() {
        return generatedTokens;
    }

    public String getFinishReason() {
        return finishReason;
    }

    public double getToxicity() {
        return toxicity;
    }

    public long getSeed() {
        return seed;
    }
}
