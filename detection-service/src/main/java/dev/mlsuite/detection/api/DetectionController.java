package dev.mlsuite.detection.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.mlsuite.detection.api.DetectionDtos.BatchResponse;
import dev.mlsuite.detection.api.DetectionDtos.DetectionResponse;
import dev.mlsuite.platform.web.ApiException;
import dev.mlsuite.platform.web.TextFields;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Detection endpoints. The body is read as bytes and decoded here, so that invalid UTF-8 and
 * oversized bodies get their own problem types instead of a generic parse error.
 */
@RestController
@RequestMapping("/v1/detections")
public class DetectionController {

    private final DetectionService service;
    private final DetectionProperties properties;
    private final JsonMapper json;

    public DetectionController(DetectionService service, DetectionProperties properties, JsonMapper json) {
        this.service = service;
        this.properties = properties;
        this.json = json;
    }

    @Operation(summary = "Score one text", description = "Returns the probability that an AI model wrote the text, "
            + "its label and per-sentence probabilities, and stores the result.",
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = DetectionDtos.DetectionRequest.class))))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public DetectionResponse detect(HttpServletRequest request) {
        long received = System.nanoTime();
        JsonNode body = readBody(request);
        String text = requireText(body.get("text"), "text");
        return service.detect(List.of(text), received).get(0);
    }

    @Operation(summary = "Score several texts", description = "Scores each text as POST /v1/detections does and "
            + "returns the results in input order.",
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = DetectionDtos.BatchRequest.class))))
    @PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public BatchResponse detectBatch(HttpServletRequest request) {
        long received = System.nanoTime();
        JsonNode texts = readBody(request).get("texts");
        if (texts == null || !texts.isArray()) {
            throw ApiException.badRequest("missing-texts", "The body must contain \"texts\", a JSON array of strings.",
                    texts == null ? null : texts.getNodeType().name(), "Send {\"texts\": [\"first text\", ...]}.");
        }
        if (texts.isEmpty()) {
            throw ApiException.badRequest("empty-batch", "\"texts\" is an empty array.", 0,
                    "Send between 1 and " + properties.maxBatchTexts() + " texts.");
        }
        if (texts.size() > properties.maxBatchTexts()) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "too-many-texts", "Input too large",
                    "The batch has " + texts.size() + " texts, more than the limit of " + properties.maxBatchTexts()
                            + " (detection.max-batch-texts).", texts.size(),
                    "Split the batch into requests of at most " + properties.maxBatchTexts() + " texts.");
        }
        List<String> values = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            values.add(requireText(texts.get(i), "texts[" + i + "]"));
        }
        return new BatchResponse(service.detect(values, received));
    }

    @Operation(summary = "Fetch a stored detection")
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public DetectionResponse find(@PathVariable("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-id", "The detection id is not a UUID.", id,
                    "Use the id returned by POST /v1/detections.");
        }
        return service.find(uuid);
    }

    private JsonNode readBody(HttpServletRequest request) {
        requireUtf8Charset(request);
        long limit = properties.maxRequestSize().toBytes();
        if (request.getContentLengthLong() > limit) {
            throw tooLargeBody(request.getContentLengthLong(), limit);
        }

        byte[] bytes;
        try (InputStream input = request.getInputStream()) {
            bytes = input.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable-body", "Failed to read the request body: " + e.getMessage(), null,
                    "Send the request again.");
        }
        if (bytes.length > limit) {
            throw tooLargeBody(bytes.length, limit);
        }

        String content;
        try {
            content = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid-utf8", "The request body is not valid UTF-8.", null,
                    "Encode the JSON body as UTF-8.");
        }

        try {
            JsonNode body = json.readTree(content);
            if (body == null || !body.isObject()) {
                throw ApiException.badRequest("malformed-json", "The request body must be a JSON object.", null,
                        "Send {\"text\": \"...\"} or {\"texts\": [\"...\"]}.");
            }
            return body;
        } catch (JacksonException e) {
            throw ApiException.badRequest("malformed-json", "The request body is not valid JSON: "
                    + e.getOriginalMessage(), null, "Send {\"text\": \"...\"} or {\"texts\": [\"...\"]}.");
        }
    }

    /**
     * Rejects a declared charset other than UTF-8. Reads the header itself because Spring Boot's
     * character-encoding filter overwrites the request's encoding with UTF-8 before controllers run.
     */
    private static void requireUtf8Charset(HttpServletRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null) {
            return;
        }
        Charset charset;
        try {
            charset = MediaType.parseMediaType(contentType).getCharset();
        } catch (IllegalArgumentException e) {
            // Also an unknown or malformed charset name: UnsupportedCharsetException and
            // IllegalCharsetNameException extend IllegalArgumentException.
            throw unsupportedCharset(contentType);
        }
        if (charset != null && !charset.equals(StandardCharsets.UTF_8)) {
            throw unsupportedCharset(contentType);
        }
    }

    private static ApiException unsupportedCharset(String contentType) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-charset", "Unsupported media type",
                "The request declares the content type " + contentType + ", but JSON bodies must be UTF-8.",
                contentType, "Send Content-Type: application/json or application/json; charset=utf-8.");
    }

    private ApiException tooLargeBody(long size, long limit) {
        return ApiException.tooLarge("The request body has " + size + " bytes, more than the limit of " + limit
                + " bytes (detection.max-request-size).", size, "Send smaller texts or fewer texts per request.");
    }

    private String requireText(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("missing-text", "The field \"" + field + "\" is missing.", null,
                    "Send the text to score as a JSON string in \"" + field + "\".");
        }
        if (!node.isString()) {
            throw ApiException.badRequest("invalid-text", "The field \"" + field + "\" must be a JSON string, found "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ".", null,
                    "Send the text to score as a JSON string.");
        }
        String text = node.asString();
        if (text.isBlank()) {
            throw ApiException.badRequest("empty-text", "The field \"" + field + "\" is empty or contains only "
                    + "whitespace.", text.length(), "Send a text with at least one word.");
        }
        if (text.length() > properties.maxTextChars()) {
            throw ApiException.tooLarge("The field \"" + field + "\" has " + text.length()
                    + " characters, more than the limit of " + properties.maxTextChars()
                    + " (detection.max-text-chars).", text.length(),
                    "Split the text into parts of at most " + properties.maxTextChars() + " characters.");
        }
        // Rejected whether or not detection.store-text is on, so that a request is valid in every configuration.
        TextFields.rejectNulCharacter(field, text);
        return text;
    }
}
