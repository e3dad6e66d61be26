package dev.mlsuite.vision.tokens.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.mlsuite.platform.web.ApiException;

/** Turns images into adaptive 2D Gaussian tokens and serves the stored results. */
@RestController
@RequestMapping("/v1/image-tokens")
public class ImageTokenController {

    private final ImageTokenService service;

    public ImageTokenController(ImageTokenService service) {
        this.service = service;
    }

    /**
     * Tokenizes the multipart {@code image} into {@code tokens} Gaussians, refined for {@code steps}
     * Adam steps, and returns 201 with the tokens, PSNR, SSIM, timings and image links.
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ImageTokenResponse> create(@RequestPart("image") MultipartFile image,
            @RequestParam("tokens") int tokens, @RequestParam(name = "steps", required = false) Integer steps) {
        ImageTokenResult result = service.tokenize(bytesOf(image), tokens, steps);
        ImageTokenResponse response = toResponse(result);
        return ResponseEntity.created(URI.create(response.links().self())).body(response);
    }

    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ImageTokenResponse get(@PathVariable("id") String id) {
        return toResponse(service.find(parseId(id)));
    }

    @GetMapping(value = "/{id}/reconstruction.png", produces = MediaType.IMAGE_PNG_VALUE)
    public ResponseEntity<byte[]> reconstruction(@PathVariable("id") String id) {
        return png(service.reconstructionPng(parseId(id)));
    }

    @GetMapping(value = "/{id}/overlay.png", produces = MediaType.IMAGE_PNG_VALUE)
    public ResponseEntity<byte[]> overlay(@PathVariable("id") String id) {
        return png(service.overlayPng(parseId(id)));
    }

    private ImageTokenResponse toResponse(ImageTokenResult result) {
        String self = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/v1/image-tokens/{id}").buildAndExpand(result.getId()).toUriString();
        return new ImageTokenResponse(
                result.getId().toString(),
                result.getCreatedAt(),
                result.getWidth(),
                result.getHeight(),
                result.getOriginalWidth(),
                result.getOriginalHeight(),
                result.getTokenCount(),
                ImageTokenResponse.finitePsnr(result.getPsnr()),
                result.getSsim(),
                ImageTokenResponse.finitePsnr(result.getInitialPsnr()),
                result.getInitialSsim(),
                new ImageTokenResponse.Refinement(result.getStepsRequested(), result.getStepsRun(),
                        result.isTimeLimitReached(), result.getInitialLoss(), result.getFinalLoss()),
                new ImageTokenResponse.Timings(result.getDecodeMillis(), result.getInitialisationMillis(),
                        result.getRefinementMillis(), result.getRenderingMillis(), result.getMetricsMillis(),
                        result.getTotalMillis()),
                service.tokensOf(result),
                new ImageTokenResponse.Links(self, self + "/reconstruction.png", self + "/overlay.png"));
    }

    private static ResponseEntity<byte[]> png(byte[] bytes) {
        // A stored result never changes, so clients may cache its images.
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePublic()).body(bytes);
    }

    private static byte[] bytesOf(MultipartFile image) {
        try {
            return image.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the uploaded image part", e);
        }
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-id", "The id '" + id + "' is not a UUID.", id,
                    "Use the id returned by POST /v1/image-tokens.");
        }
    }
}
