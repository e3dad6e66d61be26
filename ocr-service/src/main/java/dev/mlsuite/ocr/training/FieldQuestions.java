package dev.mlsuite.ocr.training;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Question wordings per key field; training draws one at random, evaluation uses the first. */
public final class FieldQuestions {

    /** The four SROIE key fields in a fixed order. */
    public static final List<String> FIELDS = List.of("company", "date", "address", "total");

    private static final Map<String, List<String>> WORDINGS = Map.of(
            "company", List.of("What is the company name?", "Which company issued this?", "Who is the seller?"),
            "date", List.of("What is the date?", "When was this issued?", "What date is on the receipt?"),
            "address", List.of("What is the address?", "Where is the shop?", "What is the company address?"),
            "total", List.of("What is the total?", "What is the total amount?", "How much is the total?"));

    private FieldQuestions() {
    }

    /** Returns the evaluation wording of {@code field}. */
    public static String canonical(String field) {
        return WORDINGS.get(field).get(0);
    }

    /** Returns a random wording of {@code field}. */
    public static String random(String field, Random random) {
        List<String> wordings = WORDINGS.get(field);
        return wordings.get(random.nextInt(wordings.size()));
    }
}
