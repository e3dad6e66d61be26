package dev.mlsuite.ocr.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Response of {@code POST /v1/document-questions}.
 *
 * @param id id of the stored result, readable at {@code /v1/document-questions/{id}}
 * @param model name and version of the model that answered
 * @param timings milliseconds per stage: {@code decode}, {@code encode}, {@code answer}, {@code total}
 */
public record DocumentAnswers(UUID id, List<Answer> answers, String model, Map<String, Long> timings) {

    /**
     * One answer.
     *
     * @param confidence geometric mean of the probabilities of the generated characters, in {@code [0, 1]}
     * @param box pixel rectangle {@code [x, y, width, height]} of the answer on the page; the default
     *     model does not predict boxes, so it is left out
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(String question, String answer, double confidence, int[] box) {
    }
}
