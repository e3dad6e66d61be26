package dev.mlsuite.ocr.api;

import dev.mlsuite.platform.jobs.JobContext;
import dev.mlsuite.platform.jobs.JobHandler;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers the same questions about every page of an uploaded document; each page's answers are
 * stored with the job id and read from {@code /v1/document-question-jobs/{id}/pages}.
 */
public class DocumentQuestionsJobHandler implements JobHandler {

    public static final String TYPE = "document-questions";
    public static final String INPUT = "document";

    private final DocumentQaService service;
    private final DocumentDecoder decoder;
    private final OcrProperties properties;

    public DocumentQuestionsJobHandler(DocumentQaService service, DocumentDecoder decoder, OcrProperties properties) {
        this.service = service;
        this.decoder = decoder;
        this.properties = properties;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String run(JobContext context) throws Exception {
        JsonNode parameters = JsonMapper.builder().build().readTree(context.parameters());
        List<String> questions = new ArrayList<>();
        parameters.get("questions").forEach(node -> questions.add(node.asString()));
        byte[] bytes = Files.readAllBytes(context.inputDirectory().resolve(INPUT));

        long start = System.nanoTime();
        DocumentDecoder.Format format = decoder.detect(bytes);
        List<BufferedImage> pages = decoder.decode(bytes, properties.maxPdfPages());
        long decodeMillis = (System.nanoTime() - start) / 1_000_000 / pages.size();
        String digest = DocumentQuestionsController.sha256(bytes);
        for (int page = 0; page < pages.size(); page++) {
            context.checkCancelled();
            service.answer(pages.get(page), questions, digest, format.name(), context.jobId(), page + 1, decodeMillis);
            context.reportProgress((page + 1) / (double) pages.size());
        }
        return null;
    }
}
