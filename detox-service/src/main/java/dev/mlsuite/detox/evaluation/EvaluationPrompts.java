package dev.mlsuite.detox.evaluation;

import dev.mlsuite.detox.training.ToxicityComments;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluation prompts: the first words of held-out comments, toxic and non-toxic. Validation prompts
 * are for choosing features and tier strengths, test prompts for the reported numbers.
 */
public final class EvaluationPrompts {

    /** Words of a comment that form its prompt. */
    public static final int PROMPT_WORDS = 6;

    private EvaluationPrompts() {
    }

    /** A prompt and whether the comment it opens is labelled toxic. */
    public record Prompt(String text, boolean toxicPrefix) {
    }

    /** Returns up to {@code perGroup} toxic-prefix and {@code perGroup} neutral prompts from the test split. */
    public static List<Prompt> fromTestSplit(List<ToxicityComments.Comment> comments, int perGroup) {
        return fromSplit(comments, ToxicityComments.Split.TEST, perGroup);
    }

    /** Returns up to {@code perGroup} toxic-prefix and {@code perGroup} neutral prompts from {@code split}. */
    public static List<Prompt> fromSplit(List<ToxicityComments.Comment> comments, ToxicityComments.Split split,
            int perGroup) {
        List<Prompt> toxic = new ArrayList<>();
        List<Prompt> neutral = new ArrayList<>();
        for (ToxicityComments.Comment comment : ToxicityComments.of(comments, split)) {
            String[] words = comment.text().replaceAll("[=]+", " ").trim().split("\\s+");
            if (words.length < PROMPT_WORDS + 2) {
                continue;
            }
            String prompt = String.join(" ", java.util.Arrays.copyOf(words, PROMPT_WORDS));
            List<Prompt> group = comment.toxic() ? toxic : neutral;
            if (group.size() < perGroup) {
                group.add(new Prompt(prompt, comment.toxic()));
            }
        }
        List<Prompt> all = new ArrayList<>(toxic);
        all.addAll(neutral);
        return all;
    }
}
