package dev.mlsuite.detection.api;

import java.util.List;

/** Request and response bodies of the detection endpoints. */
final class DetectionDtos {

    private DetectionDtos() {
    }

    /** Body of {@code POST /v1/detections}. */
    record DetectionRequest(String text) {
    }

    /** Body of {@code POST /v1/detections/batch}. */
    record BatchRequest(List<String> texts) {
    }

    /**
     * Model that produced a result.
     *
     * @param name model name
     * @param version model version
     * @param tokenReduction token reduction of the encoder, such as {@code pitome ratio=0.85} or
     *     {@code none}. It is {@code null} for results stored before the setting was recorded.
     */
    record ModelView(String name, String version, String tokenReduction) {
    }

    /**
     * Probability of one sentence, with its character offsets in the text (UTF-16 code units,
     * {@code end} exclusive).
     */
    record SentenceView(int start, int end, double probability) {
    }

    /**
     * Time spent on one detection, in milliseconds.
     *
     * @param queueMs waiting for a batch slot
     * @param modelMs running the batch that contained this text
     * @param totalMs from receiving the request until the result was stored
     */
    record TimingsView(double queueMs, double modelMs, double totalMs) {
    }

    /** Result of one text; {@code label} is {@code ai} when {@code probability >= threshold}. */
    record DetectionResponse(String id, String label, double probability, double threshold, ModelView model,
            List<SentenceView> sentences, TimingsView timings) {
    }

    /** Results of a batch request, in input order. */
    record BatchResponse(List<DetectionResponse> results) {
    }
}
