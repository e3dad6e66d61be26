package dev.mlsuite.detox.evaluation;

import dev.mlsuite.detox.generation.DetoxLanguageModel;
import dev.mlsuite.detox.generation.SteeringHook;
import dev.mlsuite.detox.sae.SparseAutoencoder;
import dev.mlsuite.detox.sae.ToxicityFeatures;
import dev.mlsuite.detox.toxicity.ToxicityScorer;
import dev.mlsuite.detox.training.CommandLine;
import dev.mlsuite.detox.training.ToxicityComments;
import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.SequenceState;
import dev.mlsuite.inference.generation.TokenListener;
import dev.mlsuite.inference.hooks.Hooks;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generates continuations of held-out toxic-prefix and neutral prompts at each steering tier with
 * fixed seeds, and writes mean toxicity, share toxic, perplexity under the unsteered model and
 * distinct-2 per tier as JSON, with a PNG plot of toxicity against perplexity.
 */
public final class DetoxEvaluation {

    static final String USAGE = "--data DATA_FOLDER --lm LM_FOLDER --sae SAE_FOLDER --scorer SCORER_FOLDER"
            + " --out OUTPUT_FOLDER [--tiers none=0,low=0.5,medium=0.75,high=2] [--prompts-per-group 40] [--samples 5]"
            + " [--max-tokens 32] [--temperature 1.0] [--top-p 0.9] [--scale-by-activation true]"
            + " [--prompts test|validation] [--features all|N]";

    private static final Logger log = LoggerFactory.getLogger(DetoxEvaluation.class);

    private DetoxEvaluation() {
    }

    public static void main(String[] args) throws IOException {
        CommandLine cli = new CommandLine(args, USAGE);
        Path out = cli.path("out");
        Map<String, Float> tiers = parseTiers(cli.stringOr("tiers", "none=0,low=0.5,medium=0.75,high=2"));
        int perGroup = cli.intOr("prompts-per-group", 40);
        int samples = cli.intOr("samples", 5);
        int maxTokens = cli.intOr("max-tokens", 32);
        float temperature = (float) cli.doubleOr("temperature", 1.0);
        float topP = (float) cli.doubleOr("top-p", 0.9);
        boolean scaleByActivation = Boolean.parseBoolean(cli.stringOr("scale-by-activation", "true"));

        InferenceEngine engine = InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.CPU));
        String promptSplit = cli.stringOr("prompts", "test");
        List<EvaluationPrompts.Prompt> prompts = EvaluationPrompts.fromSplit(ToxicityComments.read(cli.path("data")),
                ToxicityComments.Split.valueOf(promptSplit.toUpperCase(java.util.Locale.ROOT)), perGroup);
        try (ToxicityScorer scorer = ToxicityScorer.load(cli.path("scorer"), engine.device());
                DetoxLanguageModel lm = DetoxLanguageModel.load(cli.path("lm"), engine.device(), "--lm");
                NDManager saeManager = engine.newManager()) {
            SparseAutoencoder sae = SparseAutoencoder.load(cli.path("sae"), saeManager);
            ToxicityFeatures features = ToxicityFeatures.load(cli.path("sae").resolve(ToxicityFeatures.FILE_NAME));
            String featureCount = cli.stringOr("features", "all");
            int[] featureIds = featureCount.equals("all") ? features.ids()
                    : java.util.Arrays.copyOf(features.ids(), Math.min(Integer.parseInt(featureCount),
                            features.ids().length));

            List<TierMetrics> results = new ArrayList<>();
            for (Map.Entry<String, Float> tier : tiers.entrySet()) {
                Hooks hooks = new SteeringHook(sae, featureIds, tier.getValue(), scaleByActivation).hooks();
                List<Sample> generated = generate(lm, prompts, samples, hooks,
                        SamplingSettings.builder().maxTokens(maxTokens).temperature(temperature).topP(topP));
                for (String group : List.of("toxic-prefix", "neutral")) {
                    boolean toxicGroup = group.equals("toxic-prefix");
                    List<Sample> selected = generated.stream().filter(s -> s.prompt().toxicPrefix() == toxicGroup)
                            .toList();
                    TierMetrics metrics = measure(tier.getKey(), tier.getValue(), group, selected, lm, scorer);
                    log.info("{}", metrics);
                    results.add(metrics);
                }
                if (tier.getKey().equals("none") || tier.getKey().equals("high")) {
                    for (int i = 0; i < Math.min(3, generated.size()); i++) {
                        log.info("Tier {} sample: '{}' -> '{}'", tier.getKey(), generated.get(i).prompt().text(),
                                generated.get(i).text());
                    }
                }
            }

            Files.createDirectories(out);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("prompts_per_group", perGroup);
            report.put("samples_per_prompt", samples);
            report.put("seeds", "sample i of every prompt uses seed i");
            report.put("max_tokens", maxTokens);
            report.put("temperature", temperature);
            report.put("top_p", topP);
            report.put("scale_by_activation", scaleByActivation);
            report.put("prompts", promptSplit);
            report.put("features", featureIds);
            report.put("results", results);
            JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
                    .writeValue(out.resolve("detox-evaluation.json").toFile(), report);
            TierPlot.write(results, out.resolve("detox-tiers.png"));
            log.info("Wrote {} and {}", out.resolve("detox-evaluation.json"), out.resolve("detox-tiers.png"));
        }
    }

    record Sample(EvaluationPrompts.Prompt prompt, int[] promptTokens, int[] tokens, String text) {
    }

    private static List<Sample> generate(DetoxLanguageModel lm, List<EvaluationPrompts.Prompt> prompts, int samples,
            Hooks hooks, SamplingSettings.Builder settings) {
        Generator generator = lm.generator();
        List<Generator.PrefillRequest> requests = new ArrayList<>();
        List<EvaluationPrompts.Prompt> owners = new ArrayList<>();
        for (EvaluationPrompts.Prompt prompt : prompts) {
            int[] promptTokens = lm.tokenizer().encode(prompt.text(), true);
            for (int seed = 0; seed < samples; seed++) {
                requests.add(new Generator.PrefillRequest(promptTokens, settings.seed(seed).build(), hooks,
                        TokenListener.NONE));
                owners.add(prompt);
            }
        }
        List<SequenceState> states = generator.prefill(requests);
        try {
            while (states.stream().anyMatch(state -> !state.isFinished())) {
                generator.decode(states);
            }
            List<Sample> result = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                SequenceState state = states.get(i);
                result.add(new Sample(owners.get(i), requests.get(i).promptTokens(), state.generatedTokens(),
                        state.text()));
            }
            return result;
        } finally {
            states.forEach(SequenceState::close);
        }
    }

    private static TierMetrics measure(String tier, float strength, String group, List<Sample> samples,
            DetoxLanguageModel lm, ToxicityScorer scorer) {
        double toxicitySum = 0;
        int toxicCount = 0;
        Set<Long> bigrams = new HashSet<>();
        long bigramCount = 0;
        double[] scores = scorer.scoreAll(samples.stream().map(Sample::text).toList());
        for (int s = 0; s < samples.size(); s++) {
            Sample sample = samples.get(s);
            double toxicity = scores[s];
            toxicitySum += toxicity;
            if (toxicity >= ToxicityScorer.TOXIC_THRESHOLD) {
                toxicCount++;
            }
            for (int t = 0; t + 1 < sample.tokens().length; t++) {
                bigrams.add(((long) sample.tokens()[t] << 32) | sample.tokens()[t + 1]);
                bigramCount++;
            }
        }

        double nll = 0;
        double count = 0;
        for (int start = 0; start < samples.size(); start += 32) {
            List<Sample> batch = samples.subList(start, Math.min(samples.size(), start + 32));
            List<int[]> sequences = new ArrayList<>();
            int[] firstTarget = new int[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                Sample sample = batch.get(i);
                int[] sequence = new int[sample.promptTokens().length + sample.tokens().length];
                System.arraycopy(sample.promptTokens(), 0, sequence, 0, sample.promptTokens().length);
                System.arraycopy(sample.tokens(), 0, sequence, sample.promptTokens().length, sample.tokens().length);
                sequences.add(sequence);
                firstTarget[i] = sample.promptTokens().length;
            }
            for (double[] row : lm.teacherForced().negativeLogLikelihoods(sequences, firstTarget, builder -> { })) {
                nll += row[0];
                count += row[1];
            }
        }
        return new TierMetrics(tier, strength, group, samples.size(), toxicitySum / samples.size(),
                toxicCount / (double) samples.size(), Math.exp(nll / Math.max(1, count)),
                bigramCount == 0 ? 0 : bigrams.size() / (double) bigramCount);
    }

    static Map<String, Float> parseTiers(String value) {
        Map<String, Float> tiers = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String[] parts = entry.split("=");
            if (parts.length != 2) {
                throw new IllegalArgumentException("Invalid tier '" + entry + "'; expected name=strength");
            }
            tiers.put(parts[0].trim(), Float.parseFloat(parts[1].trim()));
        }
        return tiers;
    }
}
