package dev.mlsuite.vision.action;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.mlsuite.platform.web.ApiException;

/**
 * Action labels of a request, or the default Kinetics-400 vocabulary when the request sends none.
 * Labels are trimmed, blank lines dropped and duplicates removed, keeping the first occurrence.
 */
public final class LabelVocabulary {

    /** Classpath location of the 400 Kinetics action names, one a line. */
    public static final String KINETICS_400_RESOURCE = "/action/kinetics400_labels.txt";
    public static final String KINETICS_400_SOURCE = "kinetics-400";
    public static final String REQUEST_SOURCE = "request";

    private final List<String> kinetics400;
    private final int maxCount;
    private final int maxLength;

    public LabelVocabulary(int maxCount, int maxLength) {
        this.kinetics400 = readKinetics400();
        this.maxCount = maxCount;
        this.maxLength = maxLength;
    }

    public List<String> kinetics400() {
        return kinetics400;
    }

    /**
     * Parses the {@code labels} values of a request: each value contains one label or several
     * separated by line breaks. Returns an empty list when the field is absent ({@code values} is
     * {@code null}), so that the caller falls back to Kinetics-400.
     *
     * @throws ApiException when the field is present but blank, when there are more labels than allowed,
     *     or when a label is too long or contains a control character such as NUL or tab
     */
    public List<String> parse(String[] values) {
        Set<String> labels = new LinkedHashSet<>();
        if (values != null) {
            for (String value : values) {
                for (String line : value.split("\\R")) {
                    String label = line.strip();
                    if (label.isEmpty()) {
                        continue;
                    }
                    if (label.codePoints().anyMatch(Character::isISOControl)) {
                        throw ApiException.badRequest("invalid-label", "An action label contains a control character",
                                escapeControls(label.substring(0, Math.min(label.length(), 80))),
                                "Send plain-text action phrases, one per line or as repeated 'labels' fields.");
                    }
                    if (label.length() > maxLength) {
                        throw ApiException.badRequest("invalid-label", "An action label is " + label.length()
                                + " characters long, more than the limit of " + maxLength,
                                label.substring(0, Math.min(label.length(), 80)),
                                "Send short action phrases such as 'arm wrestling', one per line.");
                    }
                    labels.add(label);
                }
            }
        }
        if (values != null && labels.isEmpty()) {
            throw ApiException.badRequest("invalid-label", "The labels field is present but contains no label",
                    String.join("\n", values), "Send action phrases such as 'arm wrestling', one per line, or leave "
                            + "out the labels field to score the 400 Kinetics-400 labels.");
        }
        if (labels.size() > maxCount) {
            throw ApiException.badRequest("too-many-labels", "The request sends " + labels.size()
                    + " action labels, more than the limit of " + maxCount, labels.size(),
                    "Send at most " + maxCount + " labels, or raise vision.action.labels.max-count.");
        }
        return List.copyOf(labels);
    }

    /** Writes control characters as {@code \\uXXXX}, so that the value shows in a problem detail. */
    private static String escapeControls(String label) {
        StringBuilder escaped = new StringBuilder();
        label.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                escaped.append(String.format("\\u%04x", c));
            } else {
                escaped.appendCodePoint(c);
            }
        });
        return escaped.toString();
    }

    private static List<String> readKinetics400() {
        try (InputStream stream = LabelVocabulary.class.getResourceAsStream(KINETICS_400_RESOURCE)) {
            if (stream == null) {
                throw new IllegalStateException("Missing classpath resource " + KINETICS_400_RESOURCE);
            }
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + KINETICS_400_RESOURCE, e);
        }
    }
}
