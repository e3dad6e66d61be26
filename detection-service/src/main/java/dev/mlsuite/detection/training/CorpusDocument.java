package dev.mlsuite.detection.training;

/**
 * One essay or abstract of the detection corpus.
 *
 * @param sourceSet folder name, such as {@code TOEFL_real_91}
 * @param index position in the folder's {@code data.json}
 * @param group class of the set
 * @param text document as stored
 * @param robertaScore probability of AI that the RoBERTa OpenAI detector
 *     ({@code roberta-base-openai-detector}) gave this document, from the folder's {@code HFOpenAI.json}
 */
public record CorpusDocument(String sourceSet, int index, DocumentGroup group, String text, double robertaScore) {

    /** Returns 1 for AI-generated documents and 0 otherwise. */
    public int label() {
        return group == DocumentGroup.AI ? 1 : 0;
    }

    /** Returns a stable id such as {@code TOEFL_real_91#12}. */
    public String id() {
        return sourceSet + "#" + index;
    }
}
