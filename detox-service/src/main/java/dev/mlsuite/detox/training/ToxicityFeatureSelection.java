package dev.mlsuite.detox.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.detox.evaluation.Auroc;
import dev.mlsuite.detox.generation.DetoxLanguageModel;
import dev.mlsuite.detox.sae.ResidualActivations;
import dev.mlsuite.detox.sae.SparseAutoencoder;
import dev.mlsuite.detox.sae.ToxicityFeatures;
import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.llama.Llama2cTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ranks SAE features by how their maximum activation over a comment differs between toxic and
 * non-toxic validation comments and writes the best ones, with their top-activating tokens and
 * contexts, to {@code toxicity-features.json}. Two rankings: {@code auroc} (how well the activation
 * separates the classes) and {@code mean-difference} (how much larger the mean activation is on
 * toxic comments, which favours features that steering by activation removes the most of).
 *
 * <p>Runs after {@link SaeTraining}, or alone on a trained SAE with
 * {@code --data DATA_FOLDER --lm LM_FOLDER --sae SAE_FOLDER [--count 8] [--rank auroc|mean-difference]}.
 */
public final class ToxicityFeatureSelection {

    static final String USAGE = "--data DATA_FOLDER --lm LM_FOLDER --sae SAE_FOLDER [--count 8]"
            + " [--rank auroc|mean-difference]";
    /** Number of features written when {@code --count} is not given. */
    static final int CHOSEN_FEATURES = 8;
    /** Top-activating token positions kept per feature. */
    static final int TOP_ACTIVATIONS = 5;
    /** Tokens of context shown before a top-activating token. */
    static final int CONTEXT_TOKENS = 10;

    private static final Logger log = LoggerFactory.getLogger(ToxicityFeatureSelection.class);

    private ToxicityFeatureSelection() {
    }

    private record Activation(float value, int sequence, int position) {
    }

    public static void main(String[] args) throws IOException {
        CommandLine cli = new CommandLine(args, USAGE);
        Path saeFolder = cli.path("sae");
        InferenceEngine engine = InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.CPU));
        List<ToxicityComments.Comment> comments = ToxicityComments.read(cli.path("data"));
        try (DetoxLanguageModel lm = DetoxLanguageModel.load(cli.path("lm"), engine.device(), "--lm");
                NDManager manager = engine.newManager()) {
            SparseAutoencoder sae = SparseAutoencoder.load(saeFolder, manager);
            selectAndWrite(lm, sae, comments, saeFolder, cli.intOr("count", CHOSEN_FEATURES),
                    cli.stringOr("rank", "auroc"));
        }
    }

    static void selectAndWrite(DetoxLanguageModel lm, SparseAutoencoder sae, List<ToxicityComments.Comment> comments,
            Path saeFolder) throws IOException {
        selectAndWrite(lm, sae, comments, saeFolder, CHOSEN_FEATURES, "auroc");
    }

    static void selectAndWrite(DetoxLanguageModel lm, SparseAutoencoder sae, List<ToxicityComments.Comment> comments,
            Path saeFolder, int count, String rank) throws IOException {
        Comparator<ToxicityFeatures.Feature> order = switch (rank) {
            case "auroc" -> Comparator.comparingDouble(ToxicityFeatures.Feature::auroc);
            case "mean-difference" -> Comparator.comparingDouble(
                    feature -> feature.meanActivationToxic() - feature.meanActivationNonToxic());
            default -> throw new IllegalArgumentException("Unknown --rank '" + rank
                    + "'; expected auroc or mean-difference");
        };
        List<ToxicityComments.Comment> validation = ToxicityComments.of(comments, ToxicityComments.Split.VALIDATION);
        Llama2cTokenizer tokenizer = lm.llamaTokenizer();
        List<int[]> sequences = new ArrayList<>();
        boolean[] toxic = new boolean[validation.size()];
        for (int i = 0; i < validation.size(); i++) {
            String text = validation.get(i).text();
            String opening = text.length() > LanguageModelFineTuning.MAX_COMMENT_CHARS
                    ? text.substring(0, LanguageModelFineTuning.MAX_COMMENT_CHARS) : text;
            int[] tokens = tokenizer.encode(opening, true);
            sequences.add(tokens.length > 64 ? java.util.Arrays.copyOf(tokens, 64) : tokens);
            toxic[i] = validation.get(i).toxic();
        }
        List<float[][]> residuals = ResidualActivations.collect(lm.llamaModel(), sae.hookName(), sequences, 32);

        int dSae = sae.dSae();
        double[][] maxPerComment = new double[dSae][sequences.size()];
        List<PriorityQueue<Activation>> top = new ArrayList<>();
        for (int f = 0; f < dSae; f++) {
            top.add(new PriorityQueue<>(Comparator.comparingDouble(Activation::value)));
        }
        try (NDManager scope = lm.llamaModel().manager().newSubManager()) {
            for (int s = 0; s < sequences.size(); s++) {
                float[][] rows = residuals.get(s);
                float[] flat = new float[rows.length * rows[0].length];
                for (int t = 0; t < rows.length; t++) {
                    System.arraycopy(rows[t], 0, flat, t * rows[0].length, rows[0].length);
                }
                NDArray features = sae.encode(scope.create(flat, new Shape(rows.length, rows[0].length)));
                float[] values = features.toFloatArray(); // [tokens * dSae]
                features.close();
                for (int t = 1; t < rows.length; t++) {
                    for (int f = 0; f < dSae; f++) {
                        float value = values[t * dSae + f];
                        maxPerComment[f][s] = Math.max(maxPerComment[f][s], value);
                        if (value > 0f) {
                            PriorityQueue<Activation> queue = top.get(f);
                            queue.add(new Activation(value, s, t));
                            if (queue.size() > TOP_ACTIVATIONS) {
                                queue.poll();
                            }
                        }
                    }
                }
            }
        }

        List<ToxicityFeatures.Feature> ranked = new ArrayList<>();
        for (int f = 0; f < dSae; f++) {
            double auroc = Auroc.of(maxPerComment[f], toxic);
            double[] means = classMeans(maxPerComment[f], toxic);
            List<ToxicityFeatures.TopActivation> examples = new ArrayList<>();
            top.get(f).stream().sorted(Comparator.comparingDouble(Activation::value).reversed()).forEach(a -> {
                int[] sequence = sequences.get(a.sequence());
                int from = Math.max(1, a.position() - CONTEXT_TOKENS);
                String context = tokenizer.decode(java.util.Arrays.copyOfRange(sequence, from, a.position()))
                        + "[[" + tokenizer.piece(sequence[a.position()]) + "]]";
                examples.add(new ToxicityFeatures.TopActivation(tokenizer.piece(sequence[a.position()]), a.value(),
                        context));
            });
            ranked.add(new ToxicityFeatures.Feature(f, auroc, means[0], means[1], examples));
        }
        ranked.sort(order.reversed());
        List<ToxicityFeatures.Feature> chosen = ranked.subList(0, Math.min(count, ranked.size()));
        chosen.forEach(feature -> log.info("Toxicity feature {}: AUROC {}, mean max activation toxic {} vs {}",
                feature.id(), feature.auroc(), feature.meanActivationToxic(), feature.meanActivationNonToxic()));
        long toxicCount = validation.stream().filter(ToxicityComments.Comment::toxic).count();
        new ToxicityFeatures(sae.hookName(),
                rankDescription(rank) + " of the maximum activation over each validation comment (" + validation.size()
                        + " comments, " + toxicCount + " toxic)", List.copyOf(chosen))
                .save(saeFolder.resolve(ToxicityFeatures.FILE_NAME));
    }

    private static String rankDescription(String rank) {
        return rank.equals("auroc") ? "per-feature AUROC" : "difference of the class means (toxic minus non-toxic)";
    }

    private static double[] classMeans(double[] values, boolean[] positive) {
        double[] sums = new double[2];
        int[] counts = new int[2];
        for (int i = 0; i < values.length; i++) {
            int group = positive[i] ? 0 : 1;
            sums[group] += values[i];
            counts[group]++;
        }
        return new double[] {sums[0] / Math.max(1, counts[0]), sums[1] / Math.max(1, counts[1])};
    }
}
