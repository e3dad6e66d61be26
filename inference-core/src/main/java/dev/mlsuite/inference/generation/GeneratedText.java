package dev.mlsuite.inference.generation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bytes a sequence has generated, the part of their text already streamed, and the stop-string
 * check. Text that could be the start of a stop string, or an incomplete UTF-8 character, is held
 * back until the next token decides it.
 *
 * <p>Every token decodes the whole output again, so the cost per token grows with the output length.
 */
final class GeneratedText {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<String> stopStrings;
    private int streamedChars;
    private String finalText;

    GeneratedText(List<String> stopStrings) {
        this.stopStrings = stopStrings;
    }

    /** Result of one appended token: the text to stream now, and whether a stop string ended the text. */
    record Delta(String text, boolean stopped) {
    }

    Delta append(byte[] tokenBytes) {
        bytes.writeBytes(tokenBytes);
        String decoded = decodeCompleteCharacters();

        int stopIndex = firstStopIndex(decoded);
        if (stopIndex >= 0) {
            finalText = decoded.substring(0, stopIndex);
            return new Delta(takeUntil(Math.max(stopIndex, streamedChars), finalText), true);
        }

        int safeEnd = decoded.length() - heldBackLength(decoded);
        return new Delta(takeUntil(Math.max(safeEnd, streamedChars), decoded), false);
    }

    /** Ends the text without a stop string and returns what was held back, decoding incomplete bytes as U+FFFD. */
    String finish() {
        if (finalText == null) {
            finalText = bytes.toString(StandardCharsets.UTF_8);
        }
        return takeUntil(Math.max(finalText.length(), streamedChars), finalText);
    }

    /** Returns the final text after a stop, else everything decoded so far. */
    String text() {
        return finalText != null ? finalText : bytes.toString(StandardCharsets.UTF_8);
    }

    int streamedChars() {
        return streamedChars;
    }

    /** Restores how much text a serialised sequence had streamed. */
    void restoreStreamedChars(int value) {
        this.streamedChars = value;
    }

    private String takeUntil(int end, String text) {
        int clampedEnd = Math.min(end, text.length());
        if (clampedEnd <= streamedChars) {
            return "";
        }
        String delta = text.substring(streamedChars, clampedEnd);
        streamedChars = clampedEnd;
        return delta;
    }

    private int firstStopIndex(String decoded) {
        int first = -1;
        for (String stop : stopStrings) {
            int from = Math.max(0, streamedChars - stop.length());
            int index = decoded.indexOf(stop, from);
            if (index >= 0 && (first < 0 || index < first)) {
                first = index;
            }
        }
        return first;
    }

    /** Returns the length of the longest suffix of {@code decoded} that is a proper prefix of a stop string. */
    private int heldBackLength(String decoded) {
        int longest = 0;
        for (String stop : stopStrings) {
            int max = Math.min(stop.length() - 1, decoded.length());
            for (int length = max; length > longest; length--) {
                if (decoded.regionMatches(decoded.length() - length, stop, 0, length)) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }

    /** Decodes all bytes except a trailing, still incomplete UTF-8 sequence. */
    private String decodeCompleteCharacters() {
        byte[] all = bytes.toByteArray();
        int end = all.length;
        int start = end - 1;
        while (start >= 0 && start >= end - 4 && (all[start] & 0xC0) == 0x80) {
            start--;
        }
        if (start >= 0) {
            int lead = all[start] & 0xFF;
            if (lead >= 0xC0 && end - start < utf8SequenceLength(lead)) {
                end = start;
            }
        }
        return new String(all, 0, end, StandardCharsets.UTF_8);
    }

    /** Returns the byte length of a UTF-8 sequence that starts with lead byte {@code lead} (0xC0 or above). */
    private static int utf8SequenceLength(int lead) {
        if (lead >= 0xF0) {
            return 4;
        }
        if (lead >= 0xE0) {
            return 3;
        }
        return 2;
    }
}
