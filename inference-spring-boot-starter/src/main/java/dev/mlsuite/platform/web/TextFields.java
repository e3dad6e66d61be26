package dev.mlsuite.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;

/** Checks of user text that a service stores in PostgreSQL {@code text} columns. */
public final class TextFields {

    private TextFields() {
    }

    /**
     * Rejects {@code value} when it contains the character U+0000 (NUL), which PostgreSQL cannot store in
     * a {@code text} column ({@code invalid byte sequence for encoding "UTF8": 0x00}). Call it before any
     * model work, so that the request fails with 400 and not after the work, while storing the result.
     *
     * @param field the request field as the client names it, for example {@code prompt} or {@code texts[2]}
     * @param value the text, or null (accepted, so that a missing field gets its own error)
     * @throws ApiException 400 {@code invalid-character} naming the field and the character's index in
     *     UTF-16 code units, the unit that JavaScript and Java strings count in
     */
    public static void rejectNulCharacter(String field, String value) {
        if (value == null) {
            return;
        }
        int index = value.indexOf('\u0000');
        if (index < 0) {
            return;
        }
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("field", field);
        location.put("character", "U+0000");
        location.put("index", index);
        throw ApiException.badRequest("invalid-character", "The field '" + field + "' contains the character U+0000"
                + " (NUL) at index " + index + ", which the service cannot store", location,
                "Remove the NUL characters from '" + field + "', or replace them with a space.");
    }
}
