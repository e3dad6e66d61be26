package dev.mlsuite.inference.reduction;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token reduction of one encoder, validated on construction.
 *
 * <p>The amount is either {@code keepRatio}, the fraction of the non-{@code [CLS]} tokens that a
 * reduced layer keeps ({@code floor((n - 1) * (1 - keepRatio))} merges, as the PiToMe reference code
 * computes it), or {@code mergesPerLayer}, ToMe's {@code r}. Either way a layer removes at most
 * {@code (n - 1) / 2} tokens.
 *
 * @param algorithm which tokens merge
 * @param keepRatio in (0, 1]; used when {@code mergesPerLayer} is 0
 * @param mergesPerLayer tokens removed per reduced layer, or 0 to use {@code keepRatio}
 * @param layers 0-based indices of the reduced layers; empty means every layer
 * @param margin PiToMe's energy margin {@code m}
 * @param alpha PiToMe's slope {@code alpha} below the margin
 */
public record ReductionSettings(ReductionAlgorithm algorithm, double keepRatio, int mergesPerLayer,
        Set<Integer> layers, double margin, double alpha) {

    /** PiToMe margin; the default of {@code pitome_vision} in the PiToMe reference code ({@code algo/pitome/merge.py}). */
    public static final double DEFAULT_MARGIN = 0.5;
    /** PiToMe ELU slope; the default of {@code pitome_vision} in the same file. */
    public static final double DEFAULT_ALPHA = 1.0;

    public static final String ALGORITHM_OPTION = "reduction";
    public static final String RATIO_OPTION = "reduction-ratio";
    public static final String MERGES_OPTION = "reduction-r";
    public static final String LAYERS_OPTION = "reduction-layers";
    public static final String MARGIN_OPTION = "reduction-margin";
    public static final String ALPHA_OPTION = "reduction-alpha";

    private static final Logger log = LoggerFactory.getLogger(ReductionSettings.class);

    /** No reduction. */
    public static final ReductionSettings NONE = new ReductionSettings(ReductionAlgorithm.NONE, 1.0, 0, Set.of(),
            DEFAULT_MARGIN, DEFAULT_ALPHA);

    public ReductionSettings {
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm is missing; use none, tome or pitome");
        }
        if (!(keepRatio > 0 && keepRatio <= 1)) {
            throw new IllegalArgumentException("keep ratio " + keepRatio + " is outside (0, 1]");
        }
        if (mergesPerLayer < 0) {
            throw new IllegalArgumentException("merges per layer " + mergesPerLayer + " is negative");
        }
        for (int layer : layers) {
            if (layer < 0) {
                throw new IllegalArgumentException("layer index " + layer + " is negative");
            }
        }
        if (!Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin " + margin + " must be a finite number");
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha " + alpha + " must be a positive finite number");
        }
        layers = Set.copyOf(new TreeSet<>(layers));
    }

    /** Returns PiToMe or ToMe settings that keep {@code keepRatio} of the tokens in every layer. */
    public static ReductionSettings ofRatio(ReductionAlgorithm algorithm, double keepRatio) {
        return new ReductionSettings(algorithm, keepRatio, 0, Set.of(), DEFAULT_MARGIN, DEFAULT_ALPHA);
    }

    /**
     * Reads the options {@value #ALGORITHM_OPTION} ({@code none}, {@code tome}, {@code pitome}),
     * {@value #RATIO_OPTION}, {@value #MERGES_OPTION}, {@value #LAYERS_OPTION} (comma-separated
     * 0-based indices, or {@code all}), {@value #MARGIN_OPTION} and {@value #ALPHA_OPTION}.
     *
     * @param modelName named in error messages
     * @throws IllegalArgumentException naming the option and its value when one is invalid
     */
    public static ReductionSettings fromOptions(Map<String, String> options, String modelName) {
        try {
            ReductionAlgorithm algorithm = ReductionAlgorithm.parse(options.getOrDefault(ALGORITHM_OPTION, "none"));
            double ratio = Double.parseDouble(options.getOrDefault(RATIO_OPTION, "1.0").trim());
            int merges = Integer.parseInt(options.getOrDefault(MERGES_OPTION, "0").trim());
            Set<Integer> layers = parseLayers(options.getOrDefault(LAYERS_OPTION, "all"));
            double margin = Double.parseDouble(options.getOrDefault(MARGIN_OPTION, String.valueOf(DEFAULT_MARGIN)).trim());
            double alpha = Double.parseDouble(options.getOrDefault(ALPHA_OPTION, String.valueOf(DEFAULT_ALPHA)).trim());
            ReductionSettings settings = new ReductionSettings(algorithm, ratio, merges, layers, margin, alpha);
            if (algorithm != ReductionAlgorithm.NONE && !settings.isActive()) {
                log.warn("Model '{}': token reduction {} is set but merges no tokens because {} is {} and {} is {}."
                        + " Set {} below 1 or {} above 0", modelName, algorithm.name().toLowerCase(Locale.ROOT),
                        RATIO_OPTION, ratio, MERGES_OPTION, merges, RATIO_OPTION, MERGES_OPTION);
            }
            return settings;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid token reduction options " + reductionOptions(options)
                    + " of model '" + modelName + "': " + e.getMessage(), e);
        }
    }

    private static Set<Integer> parseLayers(String value) {
        if (value.isBlank() || value.trim().equalsIgnoreCase("all")) {
            return Set.of();
        }
        Set<Integer> layers = new TreeSet<>();
        for (String part : value.split(",")) {
            layers.add(Integer.parseInt(part.trim()));
        }
        return layers;
    }

    private static String reductionOptions(Map<String, String> options) {
        Map<String, String> selected = new java.util.TreeMap<>();
        options.forEach((key, value) -> {
            if (key.toLowerCase(Locale.ROOT).startsWith(ALGORITHM_OPTION)) {
                selected.put(key, value);
            }
        });
        return selected.toString();
    }

    /**
     * Checks that every configured layer index exists in an encoder of {@code layerCount} layers.
     *
     * @param modelName named in the error message
     * @return these settings, unchanged
     * @throws IllegalArgumentException naming the first index outside {@code 0..layerCount-1}
     */
    public ReductionSettings requireLayersWithin(int layerCount, String modelName) {
        for (int layer : new TreeSet<>(layers)) {
            if (layer >= layerCount) {
                throw new IllegalArgumentException("Invalid option " + LAYERS_OPTION + " of model '" + modelName
                        + "': layer index " + layer + " is outside 0.." + (layerCount - 1) + ". The encoder has "
                        + layerCount + " layers, so use indices from 0 to " + (layerCount - 1) + " or all");
            }
        }
        return this;
    }

    /** Returns whether any layer removes tokens with these settings. */
    public boolean isActive() {
        return algorithm != ReductionAlgorithm.NONE && (mergesPerLayer > 0 || keepRatio < 1);
    }

    /** Returns whether layer {@code layerIndex} (0-based) reduces its tokens. */
    public boolean reducesLayer(int layerIndex) {
        return isActive() && (layers.isEmpty() || layers.contains(layerIndex));
    }

    /** Returns how many of {@code tokens} real tokens, {@code [CLS]} included, a reduced layer removes. */
    public int mergeCount(int tokens) {
        if (!isActive() || tokens < 3) {
            return 0;
        }
        int candidates = tokens - 1;
        int merges = mergesPerLayer > 0
                ? mergesPerLayer
                : (int) Math.floor(candidates * (1 - keepRatio) + 1e-9);
        return Math.min(merges, TokenMerging.maxMerges(tokens));
    }

    /**
     * Returns a short label such as {@code pitome ratio=0.8} for logs, reports and stored results.
     * Layers, and PiToMe's margin and alpha, appear only where they differ from the defaults.
     */
    public String label() {
        if (!isActive()) {
            return "none";
        }
        StringBuilder label = new StringBuilder(algorithm.name().toLowerCase(Locale.ROOT));
        label.append(mergesPerLayer > 0 ? " r=" + mergesPerLayer : " ratio=" + keepRatio);
        if (!layers.isEmpty()) {
            label.append(" layers=").append(new TreeSet<>(layers));
        }
        if (algorithm == ReductionAlgorithm.PITOME && margin != DEFAULT_MARGIN) {
            label.append(" margin=").append(margin);
        }
        if (algorithm == ReductionAlgorithm.PITOME && alpha != DEFAULT_ALPHA) {
            label.append(" alpha=").append(alpha);
        }
        return label.toString();
    }
}
