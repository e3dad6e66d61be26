package dev.mlsuite.ocr.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.ocr.model.DocumentImages;
import dev.mlsuite.ocr.model.DocumentQaModel;
import dev.mlsuite.ocr.persistence.DocumentQuestionRecord;
import dev.mlsuite.ocr.persistence.DocumentQuestionRepository;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/** Answers questions about page images with the loaded model and stores every result. */
public class DocumentQaService {

    private static final Logger log = LoggerFactory.getLogger(DocumentQaService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DocumentQaModel model;
    private final NDManager manager;
    private final String modelName;
    private final DocumentQuestionRepository repository;

    public DocumentQaService(DocumentQaModel model, NDManager manager, String modelName,
            DocumentQuestionRepository repository) {
        this.model = model;
        this.manager = manager;
        this.modelName = modelName;
        this.repository = repository;
    }

    public String modelName() {
        return modelName;
    }

    /** Maximum question length the model reads, in characters. */
    public int maxQuestionChars() {
        return model.config().maxQuestionChars();
    }

    /**
     * Answers {@code questions} about {@code page}, stores the result and returns it.
     *
     * @param jobId the job the page belongs to, or null
     * @param decodeMillis time spent decoding the upload, reported in the timings
     */
    public DocumentAnswers answer(BufferedImage page, List<String> questions, String inputSha256, String inputFormat,
            UUID jobId, int pageNumber, long decodeMillis) {
        long start = System.nanoTime();
        float[] pixels = DocumentImages.toPixels(page, model.config().imageWidth(), model.config().imageHeight());
        List<DocumentAnswers.Answer> answers = new ArrayList<>();
        long encodeMillis;
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(pixels, new Shape(1, 1, model.config().imageHeight(),
                    model.config().imageWidth()));
            NDArray prefix = model.encodeImage(input, model.config().keptTokens());
            encodeMillis = (System.nanoTime() - start) / 1_000_000;
            for (String question : questions) {
                DocumentQaModel.GeneratedAnswer generated = model.generate(prefix, question);
                answers.add(new DocumentAnswers.Answer(question, generated.text(), generated.confidence(), null));
            }
        }
        long answerMillis = (System.nanoTime() - start) / 1_000_000 - encodeMillis;

        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("decode", decodeMillis);
        timings.put("encode", encodeMillis);
        timings.put("answer", answerMillis);
        timings.put("total", decodeMillis + encodeMillis + answerMillis);
        DocumentAnswers result = new DocumentAnswers(UUID.randomUUID(), answers, modelName, timings);
        repository.insert(new DocumentQuestionRecord(result.id(), Instant.now(), jobId, pageNumber, inputSha256,
                inputFormat, page.getWidth(), page.getHeight(), modelName, JSON.writeValueAsString(answers),
                JSON.writeValueAsString(timings)));
        log.info("Answered {} questions about a {}x{} {} page as {} in {} ms", questions.size(), page.getWidth(),
                page.getHeight(), inputFormat, result.id(), timings.get("total"));
        return result;
    }

    /** Reads a stored result back in the response format. */
    public DocumentAnswers toAnswers(DocumentQuestionRecord record) {
        DocumentAnswers.Answer[] answers = JSON.readValue(record.answersJson(), DocumentAnswers.Answer[].class);
        Map<String, Long> timings = new LinkedHashMap<>();
        JSON.readTree(record.timingsJson()).properties()
                .forEach(entry -> timings.put(entry.getKey(), entry.getValue().asLong()));
        return new DocumentAnswers(record.id(), List.of(answers), record.model(), timings);
    }
}
