package dev.mlsuite.detection.model;

/**
 * A range of characters in a text, in UTF-16 code units as Java and JavaScript strings count them.
 *
 * @param start index of the first character
 * @param end index after the last character
 */
public record TextSpan(int start, int end) {

    public TextSpan {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid span [" + start + ", " + end + ")");
        }
    }
}
