package dev.mlsuite.detox.training;

import dev.mlsuite.detox.evaluation.Auroc;
import dev.mlsuite.detox.toxicity.BagOfWordsToxicityScorer;
import dev.mlsuite.detox.toxicity.ToxicityScorer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a toxicity scorer on the training comments and reports its AUROC on the validation and
 * test comments. {@code --type minilm} (the default) trains the logistic head on all-MiniLM-L6-v2
 * embeddings ({@link EmbeddingScorerTraining}); {@code --type bag-of-words} trains the bag-of-words
 * scorer by full-batch gradient descent on the L2-regularised logistic loss, optionally with toxic
 * comments weighted up to balance the classes.
 */
public final class ToxicityScorerTraining {

    static final String USAGE = "--data DATA_FOLDER --out SCORER_FOLDER [--type minilm|bag-of-words]"
            + " [minilm: " + EmbeddingScorerTraining.OPTIONS + "]"
            + " [bag-of-words: --min-count 2 --epochs 400 --l2 1e-3 --learning-rate 0.5 --balance false]";

    private static final Logger log = LoggerFactory.getLogger(ToxicityScorerTraining.class);

    private ToxicityScorerTraining() {
    }

    public static void main(String[] args) throws IOException {
        CommandLine cli = new CommandLine(args, USAGE);
        List<ToxicityComments.Comment> comments = ToxicityComments.read(cli.path("data"));
        Path out = cli.path("out");
        String type = cli.stringOr("type", "minilm");
        switch (type) {
            case "minilm" -> EmbeddingScorerTraining.train(cli, comments, out);
            case "bag-of-words" -> trainBagOfWords(cli, comments, out);
            default -> throw new IllegalArgumentException("Unknown --type '" + type
                    + "'; expected minilm or bag-of-words");
        }
    }

    private static void trainBagOfWords(CommandLine cli, List<ToxicityComments.Comment> comments, Path out)
            throws IOException {
        int minCount = cli.intOr("min-count", 2);
        int epochs = cli.intOr("epochs", 400);
        double l2 = cli.doubleOr("l2", 1e-3);
        double learningRate = cli.doubleOr("learning-rate", 0.5);

        List<ToxicityComments.Comment> train = ToxicityComments.of(comments, ToxicityComments.Split.TRAIN);
        Map<String, Integer> documentCounts = new HashMap<>();
        for (ToxicityComments.Comment comment : train) {
            BagOfWordsToxicityScorer.words(comment.text()).forEach(word -> documentCounts.merge(word, 1, Integer::sum));
        }
        List<String> vocabulary = documentCounts.entrySet().stream().filter(e -> e.getValue() >= minCount)
                .map(Map.Entry::getKey).sorted().toList();
        BagOfWordsToxicityScorer indexer = new BagOfWordsToxicityScorer(vocabulary, new double[vocabulary.size()], 0);

        List<int[]> features = new ArrayList<>();
        for (ToxicityComments.Comment comment : train) {
            features.add(indexer.features(comment.text()));
        }
        long toxicCount = train.stream().filter(ToxicityComments.Comment::toxic).count();
        // Balanced weights would centre short, unknown-word texts at 0.5. Unweighted, the bias keeps the
        // base rate, so a continuation without toxic words scores low.
        boolean balance = Boolean.parseBoolean(cli.stringOr("balance", "false"));
        double toxicWeight = balance ? (train.size() - toxicCount) / (double) toxicCount : 1.0;

        double[] weights = new double[vocabulary.size()];
        double bias = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double[] gradient = new double[weights.length];
            double biasGradient = 0;
            double totalWeight = 0;
            for (int i = 0; i < train.size(); i++) {
                double logit = bias;
                for (int index : features.get(i)) {
                    logit += weights[index];
                }
                double probability = 1.0 / (1.0 + Math.exp(-logit));
                boolean toxic = train.get(i).toxic();
                double sampleWeight = toxic ? toxicWeight : 1.0;
                double error = (probability - (toxic ? 1 : 0)) * sampleWeight;
                for (int index : features.get(i)) {
                    gradient[index] += error;
                }
                biasGradient += error;
                totalWeight += sampleWeight;
            }
            for (int j = 0; j < weights.length; j++) {
                weights[j] -= learningRate * (gradient[j] / totalWeight + l2 * weights[j]);
            }
            bias -= learningRate * biasGradient / totalWeight;
        }

        BagOfWordsToxicityScorer scorer = new BagOfWordsToxicityScorer(vocabulary, weights, bias);
        double validationAuroc = auroc(scorer, ToxicityComments.of(comments, ToxicityComments.Split.VALIDATION));
        double testAuroc = auroc(scorer, ToxicityComments.of(comments, ToxicityComments.Split.TEST));
        log.info("Scorer with {} words: validation AUROC {}, test AUROC {}", vocabulary.size(), validationAuroc,
                testAuroc);

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("trainComments", train.size());
        metadata.put("trainToxic", toxicCount);
        metadata.put("minDocumentCount", minCount);
        metadata.put("epochs", epochs);
        metadata.put("balancedClassWeights", balance);
        metadata.put("l2", l2);
        metadata.put("learningRate", learningRate);
        metadata.put("validationAuroc", validationAuroc);
        metadata.put("testAuroc", testAuroc);
        scorer.save(out.resolve(ToxicityScorer.FILE_NAME), metadata);
    }

    static double auroc(ToxicityScorer scorer, List<ToxicityComments.Comment> comments) {
        double[] scores = scorer.scoreAll(comments.stream().map(ToxicityComments.Comment::text).toList());
        boolean[] toxic = new boolean[comments.size()];
        for (int i = 0; i < comments.size(); i++) {
            toxic[i] = comments.get(i).toxic();
        }
        return Auroc.of(scores, toxic);
    }
}
