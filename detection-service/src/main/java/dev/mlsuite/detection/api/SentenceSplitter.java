package dev.mlsuite.detection.api;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.mlsuite.detection.model.TextSpan;

/** Finds sentence boundaries with the JDK's English {@link BreakIterator}. */
final class SentenceSplitter {

    private SentenceSplitter() {
    }

    /** Returns the sentences of {@code text}, trimmed of surrounding whitespace; blank sentences are skipped. */
    static List<TextSpan> split(String text) {
        BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        iterator.setText(text);
        List<TextSpan> sentences = new ArrayList<>();
        int start = iterator.first();
        for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
            int trimmedStart = start;
            int trimmedEnd = end;
            while (trimmedStart < trimmedEnd && Character.isWhitespace(text.charAt(trimmedStart))) {
                trimmedStart++;
            }
            while (trimmedEnd > trimmedStart && Character.isWhitespace(text.charAt(trimmedEnd - 1))) {
                trimmedEnd--;
            }
            if (trimmedEnd > trimmedStart) {
                sentences.add(new TextSpan(trimmedStart, trimmedEnd));
            }
        }
        return sentences;
    }
}
