package dev.mlsuite.detection.model;

import java.util.List;

/**
 * One document to score, with the sentences to score separately.
 *
 * @param text the document as the user sent it
 * @param sentences spans of {@code text} that get their own probability
 */
public record DocumentInput(String text, List<TextSpan> sentences) {

    public DocumentInput {
        sentences = List.copyOf(sentences);
        for (TextSpan span : sentences) {
            if (span.end() > text.length()) {
                throw new IllegalArgumentException("sentence " + span + " ends after the text of length "
                        + text.length());
            }
        }
    }
}
