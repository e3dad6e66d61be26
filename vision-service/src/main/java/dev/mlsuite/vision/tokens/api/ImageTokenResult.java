package dev.mlsuite.vision.tokens.api;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One stored tokenization: its inputs (digest and sizes), settings, quality, timings, the tokens
 * as JSON and both PNGs. The PNGs are stored as {@code bytea} in the same row, so that a result
 * is written in one transaction and backed up with the database. Their size is bounded by
 * {@code vision.image-tokens.processed-max-side}: the overlay is at most 8 times larger per side.
 */
@Entity
@Table(name = "image_token_results")
public class ImageTokenResult {

    @Id
    private UUID id;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "request_id")
    private String requestId;

    @Column(name = "image_sha256", nullable = false)
    private String imageSha256;

    @Column(name = "image_bytes", nullable = false)
    private long imageBytes;

    @Column(name = "original_width", nullable = false)
    private int originalWidth;

    @Column(name = "original_height", nullable = false)
    private int originalHeight;

    @Column(nullable = false)
    private int width;

    @Column(nullable = false)
    private int height;

    @Column(name = "token_count", nullable = false)
    private int tokenCount;

    @Column(name = "steps_requested", nullable = false)
    private int stepsRequested;

    @Column(name = "steps_run", nullable = false)
    private int stepsRun;

    @Column(name = "time_limit_reached", nullable = false)
    private boolean timeLimitReached;

    @Column(name = "initial_psnr", nullable = false)
    private double initialPsnr;

    @Column(name = "initial_ssim", nullable = false)
    private double initialSsim;

    @Column(nullable = false)
    private double psnr;

    @Column(nullable = false)
    private double ssim;

    @Column(name = "initial_loss", nullable = false)
    private double initialLoss;

    @Column(name = "final_loss", nullable = false)
    private double finalLoss;

    @Column(name = "decode_ms", nullable = false)
    private long decodeMillis;

    @Column(name = "initialisation_ms", nullable = false)
    private long initialisationMillis;

    @Column(name = "refinement_ms", nullable = false)
    private long refinementMillis;

    @Column(name = "rendering_ms", nullable = false)
    private long renderingMillis;

    @Column(name = "metrics_ms", nullable = false)
    private long metricsMillis;

    @Column(name = "total_ms", nullable = false)
    private long totalMillis;

    @Column(name = "tokens_json", nullable = false, columnDefinition = "text")
    private String tokensJson;

    @Column(name = "reconstruction_png", nullable = false)
    private byte[] reconstructionPng;

    @Column(name = "overlay_png", nullable = false)
    private byte[] overlayPng;

    protected ImageTokenResult() {
    }

    ImageTokenResult(UUID id, Instant createdAt, String requestId, String imageSha256, long imageBytes,
            int originalWidth, int originalHeight, int width, int height, int tokenCount, int stepsRequested) {
        this.id = id;
        this.createdAt = createdAt;
        this.requestId = requestId;
        this.imageSha256 = imageSha256;
        this.imageBytes = imageBytes;
        this.originalWidth = originalWidth;
        this.originalHeight = originalHeight;
        this.width = width;
        this.height = height;
        this.tokenCount = tokenCount;
        this.stepsRequested = stepsRequested;
    }

    void recordQuality(double initialPsnr, double initialSsim, double psnr, double ssim, double initialLoss,
            double finalLoss, int stepsRun, boolean timeLimitReached) {
        this.initialPsnr = initialPsnr;
        this.initialSsim = initialSsim;
        this.psnr = psnr;
        this.ssim = ssim;
        this.initialLoss = initialLoss;
        this.finalLoss = finalLoss;
        this.stepsRun = stepsRun;
        this.timeLimitReached = timeLimitReached;
    }

    void recordTimings(long decodeMillis, long initialisationMillis, long refinementMillis, long renderingMillis,
            long metricsMillis, long totalMillis) {
        this.decodeMillis = decodeMillis;
        this.initialisationMillis = initialisationMillis;
        this.refinementMillis = refinementMillis;
        this.renderingMillis = renderingMillis;
        this.metricsMillis = metricsMillis;
        this.totalMillis = totalMillis;
    }

    void recordOutputs(String tokensJson, byte[] reconstructionPng, byte[] overlayPng) {
        this.tokensJson = tokensJson;
        this.reconstructionPng = reconstructionPng;
        this.overlayPng = overlayPng;
    }

    public UUID getId() {
        return id;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getRequestId() {
        return requestId;
    }

    public String getImageSha256() {
        return imageSha256;
    }

    public long getImageBytes() {
        return imageBytes;
    }

    public int getOriginalWidth() {
        return originalWidth;
    }

    public int getOriginalHeight() {
        return originalHeight;
    }

    public int getWidth() {
        return width;
    }

    public int getHeight() {
        return height;
    }

    public int getTokenCount() {
        return tokenCount;
    }

    public int getStepsRequested() {
        return stepsRequested;
    }

    public int getStepsRun() {
        return stepsRun;
    }

    public boolean isTimeLimitReached() {
        return timeLimitReached;
    }

    public double getInitialPsnr() {
        return initialPsnr;
    }

    public double getInitialSsim() {
        return initialSsim;
    }

    public double getPsnr() {
        return psnr;
    }

    public double getSsim() {
        return ssim;
    }

    public double getInitialLoss() {
        return initialLoss;
    }

    public double getFinalLoss() {
        return finalLoss;
    }

    public long getDecodeMillis() {
        return decodeMillis;
    }

    public long getInitialisationMillis() {
        return initialisationMillis;
    }

    public long getRefinementMillis() {
        return refinementMillis;
    }

    public long getRenderingMillis() {
        return renderingMillis;
    }

    public long getMetricsMillis() {
        return metricsMillis;
    }

    public long getTotalMillis() {
        return totalMillis;
    }

    public String getTokensJson() {
        return tokensJson;
    }

    public byte[] getReconstructionPng() {
        return reconstructionPng;
    }

    public byte[] getOverlayPng() {
        return overlayPng;
    }
}
