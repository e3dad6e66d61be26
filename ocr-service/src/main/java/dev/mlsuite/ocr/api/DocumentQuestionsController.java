package dev.mlsuite.ocr.api;

import dev.mlsuite.ocr.persistence.DocumentQuestionRepository;
import dev.mlsuite.platform.jobs.Job;
import dev.mlsuite.platform.jobs.JobController;
import dev.mlsuite.platform.jobs.JobService;
import dev.mlsuite.platform.jobs.JobView;
import dev.mlsuite.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.io.ByteArrayResource;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * OCR-free document question answering: {@code POST /v1/document-questions} answers about one page
 * (an image, or page 1 of a PDF) at once; {@code POST /v1/document-question-jobs} queues every page
 * of a PDF as a job.
 */
@RestController
@RequestMapping("/v1")
@Tag(name = "Document questions", description = "Answers read directly from document pixels, without OCR")
public class DocumentQuestionsController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DocumentQaService service;
    private final DocumentDecoder decoder;
    private final DocumentQuestionRepository repository;
    private final JobService jobs;
    private final OcrProperties properties;

    public DocumentQuestionsController(DocumentQaService service, DocumentDecoder decoder,
            DocumentQuestionRepository repository, JobService jobs, OcrProperties properties) {
        this.service = service;
        this.decoder = decoder;
        this.repository = repository;
        this.jobs = jobs;
        this.properties = properties;
    }

    @PostMapping(path = "/document-questions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Answer questions about a document page",
            description = "Multipart fields: 'image' (JPEG, PNG, TIFF or PDF; for a PDF only page 1 is read) and one "
                    + "or more 'question' fields.")
    public DocumentAnswers answer(@RequestPart("image") MultipartFile image,
            @RequestParam(name = "question", required = false) List<String> questions, HttpServletRequest request) {
        List<String> validQuestions = validateQuestions(questions, request);
        byte[] bytes = readBytes(image);

        long start = System.nanoTime();
        BufferedImage page = decoder.decode(bytes, 1).get(0);
        DocumentDecoder.Format format = decoder.detect(bytes);
        long decodeMillis = (System.nanoTime() - start) / 1_000_000;
        return service.answer(page, validQuestions, sha256(bytes), format.name(), null, 1, decodeMillis);
    }

    @GetMapping("/document-questions/{id}")
    @Operation(summary = "Read a stored answer set")
    public DocumentAnswers get(@PathVariable UUID id) {
        return repository.find(id).map(service::toAnswers).orElseThrow(() -> ApiException.notFound(
                "document-questions-not-found", "No stored answers with id " + id + ".", id,
                "Use the id returned by POST /v1/document-questions."));
    }

    @PostMapping(path = "/document-question-jobs", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Queue questions about every page of a multi-page PDF",
            description = "Same fields as /v1/document-questions. Answers 202 with the job; the per-page answers are "
                    + "read from /v1/document-question-jobs/{id}/pages once the job succeeded.")
    public ResponseEntity<JobView> submitJob(@RequestPart("image") MultipartFile image,
            @RequestParam(name = "question", required = false) List<String> questions, HttpServletRequest request) {
        List<String> validQuestions = validateQuestions(questions, request);
        byte[] bytes = readBytes(image);
        decoder.decode(bytes, 1); // rejects bad files and limit violations before the job is queued

        Job job = jobs.submit(DocumentQuestionsJobHandler.TYPE,
                JSON.writeValueAsString(Map.of("questions", validQuestions)),
                Map.of(DocumentQuestionsJobHandler.INPUT, new ByteArrayResource(bytes)));
        return JobController.accepted(job);
    }

    @GetMapping("/document-question-jobs/{id}/pages")
    @Operation(summary = "Read the answers of every page a job has finished, in page order")
    public List<DocumentAnswers> jobPages(@PathVariable UUID id) {
        jobs.find(id).filter(job -> job.type().equals(DocumentQuestionsJobHandler.TYPE))
                .orElseThrow(() -> ApiException.notFound("job-not-found", "No document question job with id " + id
                        + ".", id, "Use the id returned by POST /v1/document-question-jobs."));
        return repository.findByJob(id).stream().map(service::toAnswers).toList();
    }

    /**
     * Returns the stripped questions after checking count, length and encoding.
     *
     * @param parameters the container's decoding of the question fields, used only to tell whether any was sent;
     *     the questions themselves are decoded again from the raw bytes by {@link QuestionEncoding}
     */
    private List<String> validateQuestions(List<String> parameters, HttpServletRequest request) {
        List<String> questions = parameters == null || parameters.isEmpty() ? List.of() : QuestionEncoding.decode(request);
        if (questions.isEmpty()) {
            throw ApiException.badRequest("missing-question", "The request has no 'question' text field.", null,
                    "Add at least one 'question' field, for example 'What is the total?'.");
        }
        if (questions.size() > properties.maxQuestions()) {
            throw ApiException.badRequest("too-many-questions", "The request has " + questions.size()
                    + " questions, more than the limit of " + properties.maxQuestions() + ".", questions.size(),
                    "Split the questions over several requests or raise ocr.max-questions.");
        }
        int maxLength = Math.min(properties.maxQuestionLength(), service.maxQuestionChars());
        for (String question : questions) {
            if (question == null || question.isBlank()) {
                throw ApiException.badRequest("empty-question", "A 'question' field is empty.", question,
                        "Write the question as text, for example 'What is the date?'.");
            }
            if (question.strip().length() > maxLength) {
                throw ApiException.badRequest("question-too-long", "A question has " + question.strip().length()
                        + " characters, more than the limit of " + maxLength + ".", question.strip().length(),
                        "Shorten the question to at most " + maxLength + " characters.");
            }
        }
        return questions.stream().map(String::strip).toList();
    }

    private byte[] readBytes(MultipartFile image) {
        if (image.getSize() > properties.maxImageBytes()) {
            throw ApiException.tooLarge("The upload has " + image.getSize() + " bytes, more than the limit of "
                    + properties.maxImageBytes() + ".", image.getSize(),
                    "Send a smaller file or raise ocr.max-image-bytes.");
        }
        try {
            return image.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the uploaded image", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
