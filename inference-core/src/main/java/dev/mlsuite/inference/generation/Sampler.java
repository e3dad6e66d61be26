package dev.mlsuite.inference.generation;

import java.util.Arrays;

/** Picks the next token from logits: repetition penalty, then greedy or temperature, top-k and top-p. */
public final class Sampler {

    private Sampler() {
    }

    /**
     * Returns the next token id.
     *
     * @param logits scores of every token, {@code [vocab]}; not modified
     * @param context prompt and generated tokens, used by the repetition penalty
     * @param contextLength number of valid entries in {@code context}
     * @param random consumes one number unless decoding is greedy
     */
    public static int sample(float[] logits, int[] context, int contextLength, SamplingSettings settings,
            SamplerRandom random) {
        float[] scores = logits.clone();
        if (settings.repetitionPenalty() != 1f) {
            applyRepetitionPenalty(scores, context, contextLength, settings.repetitionPenalty());
        }
        if (settings.isGreedy()) {
            return argmax(scores);
        }

        if (settings.topK() == 0 && settings.topP() >= 1f) {
            return sampleFullDistribution(scores, settings.temperature(), random);
        }

        Integer[] order = sortedByScore(scores); // token ids, most likely first
        int kept = settings.topK() > 0 ? Math.min(settings.topK(), order.length) : order.length;

        double[] probabilities = softmax(scores, order, kept, settings.temperature());
        kept = nucleus(probabilities, kept, settings.topP());

        double total = 0;
        for (int i = 0; i < kept; i++) {
            total += probabilities[i];
        }
        double threshold = random.nextFloat() * total;
        double cumulative = 0;
        for (int i = 0; i < kept; i++) {
            cumulative += probabilities[i];
            if (threshold < cumulative) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    /** Samples from the softmax over all tokens, in token-id order, without sorting. */
    private static int sampleFullDistribution(float[] scores, float temperature, SamplerRandom random) {
        double max = scores[argmax(scores)] / (double) temperature;
        double[] weights = new double[scores.length];
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            weights[i] = Math.exp(scores[i] / (double) temperature - max);
            total += weights[i];
        }
        double threshold = random.nextFloat() * total;
        double cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (threshold < cumulative) {
                return i;
            }
        }
        return argmax(scores);
    }

    /** Returns the index of the largest value; the lowest index wins ties. */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void applyRepetitionPenalty(float[] scores, int[] context, int contextLength, float penalty) {
        boolean[] seen = new boolean[scores.length];
        for (int i = 0; i < contextLength; i++) {
            int token = context[i];
            if (token >= 0 && token < scores.length && !seen[token]) {
                seen[token] = true;
                scores[token] = scores[token] > 0 ? scores[token] / penalty : scores[token] * penalty;
            }
        }
    }

    private static Integer[] sortedByScore(float[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Stable sort: equal scores keep ascending token ids, so results do not depend on the JVM.
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        return order;
    }

    /** Returns softmax probabilities of the first {@code kept} tokens of {@code order} at {@code temperature}. */
    private static double[] softmax(float[] scores, Integer[] order, int kept, float temperature) {
        double[] probabilities = new double[kept];
        double max = scores[order[0]] / (double) temperature;
        double sum = 0;
        for (int i = 0; i < kept; i++) {
            probabilities[i] = Math.exp(scores[order[i]] / (double) temperature - max);
            sum += probabilities[i];
        }
        for (int i = 0; i < kept; i++) {
            probabilities[i] /= sum;
        }
        return probabilities;
    }

    /** Returns how many of the sorted tokens form the smallest set with probability at least {@code topP}. */
    private static int nucleus(double[] probabilities, int kept, float topP) {
        if (topP >= 1f) {
            return kept;
        }
        double cumulative = 0;
        for (int i = 0; i < kept; i++) {
            cumulative += probabilities[i];
            if (cumulative >= topP) {
                return i + 1;
            }
        }
        return kept;
    }
}
