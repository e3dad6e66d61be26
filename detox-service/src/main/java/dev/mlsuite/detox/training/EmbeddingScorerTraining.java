package dev.mlsuite.detox.training;

import dev.mlsuite.detox.evaluation.Auroc;
import dev.mlsuite.detox.toxicity.EmbeddingToxicityScorer;
import dev.mlsuite.detox.toxicity.MiniLmEmbedder;
import dev.mlsuite.detox.toxicity.ToxicityScorer;
import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the logistic head of {@link EmbeddingToxicityScorer} on all-MiniLM-L6-v2 embeddings of the
 * training comments. Embeddings are cached in a file, so a rerun only fits the head. The head is
 * fitted on standardised embeddings by full-batch gradient descent on the L2-regularised logistic
 * loss, once per L2 strength of {@code --l2-grid}; the strength with the lowest validation log loss
 * (which rewards calibrated probabilities as well as ranking) is kept and folded back onto the raw
 * embeddings.
 *
 * <p>Without {@code --balance true}, every comment weighs the same, so the bias keeps the base
 * rate of toxic comments (16%) and a text far from every toxic training comment scores low.
 */
final class EmbeddingScorerTraining {

    static final String OPTIONS = "--max-tokens 128 --cache target/detox-scorer-embeddings --l2-grid 1e-3,1e-2,1e-1,0.3,1,3"
            + " --epochs 2000 --balance false";
    /** Short clean texts whose scores are logged and stored, to show the score of harmless text. */
    static final List<String> CLEAN_TEXTS = List.of(
            "Once upon a time, there was a little girl named Lily.",
            "Thank you for the helpful edit to the article.",
            "I moved the section to the talk page.",
            "The cat sat on the mat.");

    private static final Logger log = LoggerFactory.getLogger(EmbeddingScorerTraining.class);

    private EmbeddingScorerTraining() {
    }

    /** A fitted head on raw embeddings. */
    record Head(double[] weights, double bias, double l2) {
    }

    static void train(CommandLine cli, List<ToxicityComments.Comment> comments, Path out) throws IOException {
        int maxTokens = cli.intOr("max-tokens", MiniLmEmbedder.DEFAULT_MAX_TOKENS);
        Path cache = cli.pathOr("cache", "target/detox-scorer-embeddings").resolve("minilm-" + maxTokens + ".bin");
        int epochs = cli.intOr("epochs", 2000);
        boolean balance = Boolean.parseBoolean(cli.stringOr("balance", "false"));
        List<Double> l2Grid = new ArrayList<>();
        for (String value : cli.stringOr("l2-grid", "1e-3,1e-2,1e-1,0.3,1,3").split(",")) {
            l2Grid.add(Double.parseDouble(value.trim()));
        }

        InferenceEngine engine = InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.CPU));
        try (MiniLmEmbedder embedder = MiniLmEmbedder.load(engine.device(), maxTokens)) {
            Map<Long, float[]> embeddings = embeddings(embedder, comments, cache);
            List<ToxicityComments.Comment> train = ToxicityComments.of(comments, ToxicityComments.Split.TRAIN);
            List<ToxicityComments.Comment> validation = ToxicityComments.of(comments,
                    ToxicityComments.Split.VALIDATION);
            List<ToxicityComments.Comment> test = ToxicityComments.of(comments, ToxicityComments.Split.TEST);

            Head best = null;
            double bestAuroc = -1;
            double bestLogLoss = Double.POSITIVE_INFINITY;
            for (double l2 : l2Grid) {
                Head head = fit(matrix(train, embeddings), labels(train), l2, epochs, balance);
                double auroc = auroc(head, validation, embeddings);
                double logLoss = logLoss(head, validation, embeddings);
                log.info("L2 {}: validation AUROC {}, log loss {}", l2, auroc, logLoss);
                if (logLoss < bestLogLoss) {
                    best = head;
                    bestAuroc = auroc;
                    bestLogLoss = logLoss;
                }
            }
            double testAuroc = auroc(best, test, embeddings);
            float[][] clean = embedder.embed(CLEAN_TEXTS);
            Map<String, Double> cleanScores = new LinkedHashMap<>();
            for (int i = 0; i < CLEAN_TEXTS.size(); i++) {
                cleanScores.put(CLEAN_TEXTS.get(i), EmbeddingToxicityScorer.probability(clean[i], best.weights(),
                        best.bias()));
            }
            log.info("Chosen L2 {}: validation AUROC {}, test AUROC {}, clean texts {}", best.l2(), bestAuroc,
                    testAuroc, cleanScores);

            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("trainComments", train.size());
            metadata.put("trainToxic", train.stream().filter(ToxicityComments.Comment::toxic).count());
            metadata.put("balancedClassWeights", balance);
            metadata.put("epochs", epochs);
            metadata.put("l2Grid", l2Grid);
            metadata.put("l2", best.l2());
            metadata.put("validationAuroc", bestAuroc);
            metadata.put("validationLogLoss", bestLogLoss);
            metadata.put("testAuroc", testAuroc);
            metadata.put("meanScoreNonToxicValidation", meanScore(best, validation, embeddings, false));
            metadata.put("meanScoreToxicValidation", meanScore(best, validation, embeddings, true));
            metadata.put("cleanTextScores", cleanScores);
            EmbeddingToxicityScorer.save(out.resolve(ToxicityScorer.FILE_NAME), maxTokens, best.weights(),
                    best.bias(), metadata);
            log.info("Wrote {}", out.resolve(ToxicityScorer.FILE_NAME));
        }
    }

    /** Returns the embedding of every comment by revision id, read from {@code cache} when it contains them all. */
    static Map<Long, float[]> embeddings(MiniLmEmbedder embedder, List<ToxicityComments.Comment> comments,
            Path cache) throws IOException {
        Map<Long, float[]> cached = readCache(cache);
        if (cached.size() == comments.size()
                && comments.stream().allMatch(comment -> cached.containsKey(comment.revId()))) {
            log.info("Read {} embeddings from {}", cached.size(), cache);
            return cached;
        }
        long startNanos = System.nanoTime();
        List<String> texts = comments.stream().map(ToxicityComments.Comment::text).toList();
        Map<Long, float[]> result = new HashMap<>();
        int chunk = 128;
        for (int start = 0; start < texts.size(); start += chunk) {
            int end = Math.min(texts.size(), start + chunk);
            float[][] vectors = embedder.embed(texts.subList(start, end));
            for (int i = start; i < end; i++) {
                result.put(comments.get(i).revId(), vectors[i - start]);
            }
            log.info("Embedded {} of {} comments in {} s", end, texts.size(),
                    (System.nanoTime() - startNanos) / 1_000_000_000);
        }
        writeCache(cache, result);
        return result;
    }

    private static Map<Long, float[]> readCache(Path cache) throws IOException {
        Map<Long, float[]> result = new HashMap<>();
        if (!Files.isRegularFile(cache)) {
            return result;
        }
        try (DataInputStream input = new DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(cache)))) {
            int count = input.readInt();
            int dimension = input.readInt();
            for (int i = 0; i < count; i++) {
                long revId = input.readLong();
                float[] vector = new float[dimension];
                for (int j = 0; j < dimension; j++) {
                    vector[j] = input.readFloat();
                }
                result.put(revId, vector);
            }
        }
        return result;
    }

    private static void writeCache(Path cache, Map<Long, float[]> embeddings) throws IOException {
        Files.createDirectories(cache.toAbsolutePath().getParent());
        try (DataOutputStream output = new DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(cache)))) {
            output.writeInt(embeddings.size());
            output.writeInt(embeddings.values().iterator().next().length);
            for (Map.Entry<Long, float[]> entry : embeddings.entrySet()) {
                output.writeLong(entry.getKey());
                for (float value : entry.getValue()) {
                    output.writeFloat(value);
                }
            }
        }
        log.info("Cached {} embeddings in {}", embeddings.size(), cache);
    }

    private static float[][] matrix(List<ToxicityComments.Comment> comments, Map<Long, float[]> embeddings) {
        return comments.stream().map(comment -> embeddings.get(comment.revId())).toArray(float[][]::new);
    }

    private static boolean[] labels(List<ToxicityComments.Comment> comments) {
        boolean[] labels = new boolean[comments.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = comments.get(i).toxic();
        }
        return labels;
    }

    /**
     * Fits a head on standardised features and returns it folded onto the raw features. The step size
     * is the inverse of a bound on the loss curvature (the largest eigenvalue of the feature
     * covariance, found by power iteration, over 4), so gradient descent cannot diverge.
     */
    static Head fit(float[][] x, boolean[] toxic, double l2, int epochs, boolean balance) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / (double) n;
            }
        }
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                std[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        double[][] z = new double[n][d]; // [comments, dimensions], standardised
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = (x[i][j] - mean[j]) / Math.sqrt(std[j] + 1e-12);
            }
        }

        long toxicCount = 0;
        for (boolean label : toxic) {
            toxicCount += label ? 1 : 0;
        }
        double toxicWeight = balance ? (n - toxicCount) / (double) toxicCount : 1.0;
        double[] sampleWeight = new double[n];
        double totalWeight = 0;
        for (int i = 0; i < n; i++) {
            sampleWeight[i] = toxic[i] ? toxicWeight : 1.0;
            totalWeight += sampleWeight[i];
        }
        double learningRate = 1.0 / (largestEigenvalue(z) / 4 + l2 + 1e-9);

        double[] w = new double[d];
        double b = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double[] gradient = new double[d];
            double biasGradient = 0;
            for (int i = 0; i < n; i++) {
                double logit = b;
                for (int j = 0; j < d; j++) {
                    logit += w[j] * z[i][j];
                }
                double error = (1.0 / (1.0 + Math.exp(-logit)) - (toxic[i] ? 1 : 0)) * sampleWeight[i];
                for (int j = 0; j < d; j++) {
                    gradient[j] += error * z[i][j];
                }
                biasGradient += error;
            }
            for (int j = 0; j < d; j++) {
                w[j] -= learningRate * (gradient[j] / totalWeight + l2 * w[j]);
            }
            b -= Math.min(learningRate, 4.0) * biasGradient / totalWeight;
        }

        double[] rawWeights = new double[d];
        double rawBias = b;
        for (int j = 0; j < d; j++) {
            rawWeights[j] = w[j] / Math.sqrt(std[j] + 1e-12);
            rawBias -= rawWeights[j] * mean[j];
        }
        return new Head(rawWeights, rawBias, l2);
    }

    private static double largestEigenvalue(double[][] z) {
        int d = z[0].length;
        double[] v = new double[d];
        java.util.Arrays.fill(v, 1.0 / Math.sqrt(d));
        double eigenvalue = 0;
        for (int iteration = 0; iteration < 50; iteration++) {
            double[] next = new double[d];
            for (double[] row : z) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += row[j] * v[j];
                }
                for (int j = 0; j < d; j++) {
                    next[j] += dot * row[j] / z.length;
                }
            }
            double norm = 0;
            for (double value : next) {
                norm += value * value;
            }
            eigenvalue = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                v[j] = next[j] / eigenvalue;
            }
        }
        return eigenvalue;
    }

    private static double auroc(Head head, List<ToxicityComments.Comment> comments, Map<Long, float[]> embeddings) {
        double[] scores = new double[comments.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = EmbeddingToxicityScorer.probability(embeddings.get(comments.get(i).revId()), head.weights(),
                    head.bias());
        }
        return Auroc.of(scores, labels(comments));
    }

    private static double logLoss(Head head, List<ToxicityComments.Comment> comments, Map<Long, float[]> embeddings) {
        double sum = 0;
        for (ToxicityComments.Comment comment : comments) {
            double p = EmbeddingToxicityScorer.probability(embeddings.get(comment.revId()), head.weights(),
                    head.bias());
            sum -= Math.log(Math.max(1e-12, comment.toxic() ? p : 1 - p));
        }
        return sum / comments.size();
    }

    private static double meanScore(Head head, List<ToxicityComments.Comment> comments,
            Map<Long, float[]> embeddings, boolean toxic) {
        return comments.stream().filter(comment -> comment.toxic() == toxic)
                .mapToDouble(comment -> EmbeddingToxicityScorer.probability(embeddings.get(comment.revId()),
                        head.weights(), head.bias()))
                .average().orElse(Double.NaN);
    }
}
