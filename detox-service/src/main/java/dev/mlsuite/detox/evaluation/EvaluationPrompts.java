package dev.mlsuite.detox.evaluation;

import dev.mlsuite.detox.training.ToxicityComments;
import java.util.ArrayList;
import java.util.List;

/** Evaluation prompts: the first words of held-out test comments, toxic and non-toxic. */
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
        List<Prompt> toxic = new ArrayList<>();
        List<Prompt> neutral = new ArrayList<>();
        for (ToxicityComments.Comment comment : ToxicityComments.of(comments, ToxicityComments.Split.TEST)) {
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
