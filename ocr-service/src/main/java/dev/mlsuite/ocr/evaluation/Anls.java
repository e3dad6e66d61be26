package dev.mlsuite.ocr.evaluation;

import java.util.Locale;

/**
 * Average normalised Levenshtein similarity (ANLS) of one answer, as defined for DocVQA: the
 * similarity {@code 1 - distance / max(length)} of the lower-cased, trimmed strings, or 0 when the
 * normalised distance is at least the threshold 0.5.
 */
public final class Anls {

    public static final double THRESHOLD = 0.5;

    private Anls() {
    }

    /** Returns the ANLS score of {@code predicted} against {@code expected}, in {@code [0, 1]}. */
    public static double score(String predicted, String expected) {
        String a = normalise(predicted);
        String b = normalise(expected);
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        double distance = (double) levenshtein(a, b) / Math.max(a.length(), b.length());
        return distance < THRESHOLD ? 1 - distance : 0;
    }

    /** Returns whether the normalised strings are equal. */
    public static boolean exactMatch(String predicted, String expected) {
        return normalise(predicted).equals(normalise(expected));
    }

    static String normalise(String text) {
        return text.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** Returns the edit distance with unit costs for insertion, deletion and substitution. */
    public static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
