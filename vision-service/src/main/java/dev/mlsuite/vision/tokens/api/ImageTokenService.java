package dev.mlsuite.vision.tokens.api;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.mlsuite.platform.web.ApiException;
import dev.mlsuite.platform.web.CorrelationIdFilter;
import dev.mlsuite.vision.tokens.GaussianToken;
import dev.mlsuite.vision.tokens.GaussianTokenizer;
import dev.mlsuite.vision.tokens.RgbImage;
import dev.mlsuite.vision.tokens.TokenInitialisation;
import dev.mlsuite.vision.tokens.TokenOverlay;
import dev.mlsuite.vision.tokens.Tokenization;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Validates an upload, tokenizes it with adaptive Gaussian tokens and stores the result. */
@Service
public class ImageTokenService {

    private static final Logger log = LoggerFactory.getLogger(ImageTokenService.class);

    private final GaussianTokenizer tokenizer;
    private final ImageTokenResultRepository repository;
    private final ImageTokenProperties properties;
    private final JsonMapper jsonMapper;

    public ImageTokenService(GaussianTokenizer tokenizer, ImageTokenResultRepository repository,
            ImageTokenProperties properties, JsonMapper jsonMapper) {
        this.tokenizer = tokenizer;
        this.repository = repository;
        this.properties = properties;
        this.jsonMapper = jsonMapper;
    }

    /**
     * Tokenizes an uploaded image into {@code tokenCount} tokens with {@code steps} refinement
     * steps ({@code null} for the configured default) and stores the result.
     */
    public ImageTokenResult tokenize(byte[] upload, int tokenCount, Integer steps) {
        long start = System.nanoTime();
        int stepCount = steps == null ? properties.defaultSteps() : steps;
        validateCounts(upload, tokenCount, stepCount);

        BufferedImage decoded = ImageDecoder.decode(upload, properties.maxInputPixels());
        RgbImage image = RgbImage.fromBufferedImage(decoded).fitWithin(properties.processedMaxSide());
        if (tokenCount > image.pixelCount()) {
            throw ApiException.badRequest("tokens-out-of-range", "tokens (" + tokenCount + ") exceeds the "
                    + image.pixelCount() + " pixels of the processed " + image.width() + "x" + image.height()
                    + " image.", tokenCount, "Request at most " + image.pixelCount() + " tokens for this image.");
        }
        long decodeMillis = millisSince(start);

        UUID id = UUID.randomUUID();
        log.info("Tokenizing image {} ({}x{} processed as {}x{}) into {} tokens with up to {} steps", id,
                decoded.getWidth(), decoded.getHeight(), image.width(), image.height(), tokenCount, stepCount);
        Tokenization tokenization = tokenizer.tokenize(image, tokenCount, TokenInitialisation.ADAPTIVE, stepCount,
                properties.refinementTimeLimit());

        ImageTokenResult result = new ImageTokenResult(id, Instant.now(), CorrelationIdFilter.currentId(),
                sha256(upload), upload.length, decoded.getWidth(), decoded.getHeight(), image.width(), image.height(),
                tokenCount, stepCount);
        result.recordQuality(tokenization.initialPsnr(), tokenization.initialSsim(), tokenization.psnr(),
                tokenization.ssim(), tokenization.refinement().initialLoss(), tokenization.refinement().finalLoss(),
                tokenization.refinement().stepsRun(), tokenization.refinement().timeLimitReached());
        result.recordOutputs(jsonMapper.writeValueAsString(toResponseTokens(tokenization.tokens())),
                png(tokenization.reconstruction().toBufferedImage()),
                png(TokenOverlay.draw(image, tokenization.tokens())));
        Tokenization.Timings timings = tokenization.timings();
        result.recordTimings(decodeMillis, timings.initialisationMillis(), timings.refinementMillis(),
                timings.renderingMillis(), timings.metricsMillis(), millisSince(start));

        repository.save(result);
        log.info("Tokenized image {}: {} tokens, PSNR {} dB, SSIM {}, {} steps, {} ms", id, tokenCount,
                String.format("%.2f", tokenization.psnr()), String.format("%.4f", tokenization.ssim()),
                tokenization.refinement().stepsRun(), result.getTotalMillis());
        return result;
    }

    @Transactional(readOnly = true)
    public ImageTokenResult find(UUID id) {
        return repository.findById(id).orElseThrow(() -> ApiException.notFound("image-tokens-not-found",
                "No image tokenization with id " + id + ".", id.toString(),
                "Use the id returned by POST /v1/image-tokens."));
    }

    @Transactional(readOnly = true)
    public byte[] reconstructionPng(UUID id) {
        return find(id).getReconstructionPng();
    }

    @Transactional(readOnly = true)
    public byte[] overlayPng(UUID id) {
        return find(id).getOverlayPng();
    }

    List<ImageTokenResponse.Token> tokensOf(ImageTokenResult result) {
        return jsonMapper.readValue(result.getTokensJson(), new TypeReference<List<ImageTokenResponse.Token>>() {
        });
    }

    private void validateCounts(byte[] upload, int tokenCount, int stepCount) {
        if (upload.length == 0) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "not-an-image",
                    "Not an image", "The image part is empty.", 0, "Send a PNG, JPEG, GIF or BMP image.");
        }
        if (upload.length > properties.maxUploadSize().toBytes()) {
            throw ApiException.tooLarge("The image has " + upload.length + " bytes, more than the limit of "
                    + properties.maxUploadSize().toBytes() + ".", upload.length,
                    "Send a smaller or more compressed image, or raise vision.image-tokens.max-upload-size.");
        }
        if (tokenCount < properties.minTokens() || tokenCount > properties.maxTokens()) {
            throw ApiException.badRequest("tokens-out-of-range", "tokens must be between " + properties.minTokens()
                    + " and " + properties.maxTokens() + ", got " + tokenCount + ".", tokenCount,
                    "Request between " + properties.minTokens() + " and " + properties.maxTokens() + " tokens.");
        }
        if (stepCount < 0 || stepCount > properties.maxSteps()) {
            throw ApiException.badRequest("steps-out-of-range", "steps must be between 0 and "
                    + properties.maxSteps() + ", got " + stepCount + ".", stepCount,
                    "Request between 0 and " + properties.maxSteps() + " refinement steps.");
        }
    }

    private static List<ImageTokenResponse.Token> toResponseTokens(List<GaussianToken> tokens) {
        return tokens.stream()
                .map(token -> new ImageTokenResponse.Token(token.muX(), token.muY(), token.sigmaX(), token.sigmaY(),
                        token.rho(), token.features()))
                .toList();
    }

    private static byte[] png(BufferedImage image) {
        try (ByteArrayOutputStream output = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", output);
            return output.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to encode a PNG in memory", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
