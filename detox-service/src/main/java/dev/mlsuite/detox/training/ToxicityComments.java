package dev.mlsuite.detox.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Wikipedia talk-page comments labelled toxic or not ({@code wikipedia_toxicity_testset.csv},
 * columns {@code rev_id,comment,toxic}), split by revision id into fixed training, validation and
 * test parts so every command uses the same split.
 */
public final class ToxicityComments {

    /** File name inside the {@code toxicity} folder of the data folder. */
    public static final String FILE_NAME = "wikipedia_toxicity_testset.csv";

    /** Part of the fixed split. */
    public enum Split {
        /** {@code rev_id % 20} in 0..13: language-model fine-tuning, scorer and SAE training. */
        TRAIN,
        /** {@code rev_id % 20} in 14..16: choosing the toxicity features. */
        VALIDATION,
        /** {@code rev_id % 20} in 17..19: scorer AUROC and evaluation prompts. */
        TEST;

        static Split of(long revId) {
            long bucket = Math.floorMod(revId, 20L);
            if (bucket < 14) {
                return TRAIN;
            }
            return bucket < 17 ? VALIDATION : TEST;
        }
    }

    /** One comment with whitespace collapsed and the file's doubled backticks turned into quotes. */
    public record Comment(long revId, String text, boolean toxic, Split split) {
    }

    private ToxicityComments() {
    }

    /** Reads every comment from {@code dataFolder/toxicity/wikipedia_toxicity_testset.csv}. */
    public static List<Comment> read(Path dataFolder) throws IOException {
        Path file = dataFolder.resolve("toxicity").resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("Toxicity comments not found at " + file.toAbsolutePath()
                    + "; pass the data folder that contains toxicity/" + FILE_NAME);
        }
        List<List<String>> rows = CsvRows.parse(Files.readString(file, StandardCharsets.UTF_8));
        List<Comment> comments = new ArrayList<>(rows.size());
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() != 3) {
                throw new IOException("Expected 3 columns (rev_id,comment,toxic) in " + file + " but a row has "
                        + row.size());
            }
            long revId = Long.parseLong(row.get(0).trim());
            boolean toxic = row.get(2).trim().toLowerCase(Locale.ROOT).equals("true");
            comments.add(new Comment(revId, clean(row.get(1)), toxic, Split.of(revId)));
        }
        return comments;
    }

    /** Returns the comments of one split, in file order. */
    public static List<Comment> of(List<Comment> comments, Split split) {
        return comments.stream().filter(comment -> comment.split() == split).toList();
    }

    static String clean(String raw) {
        return raw.replace("``", "\"").replace("`", "").replaceAll("\\s+", " ").trim();
    }
}
