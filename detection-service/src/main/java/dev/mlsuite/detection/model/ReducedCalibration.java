package dev.mlsuite.detection.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.mlsuite.inference.reduction.ReductionAlgorithm;
import dev.mlsuite.inference.reduction.ReductionSettings;

/**
 * Platt calibration of the detection head refitted on embeddings computed with one token
 * reduction setting, stored as {@code reduction/ALGORITHM-RATIO.json} next to {@code model.json}.
 *
 * <p>The head weights stay as trained on unreduced embeddings. Only the calibration, and with it
 * the decision boundary at the model's threshold, moves with the setting.
 *
 * @param algorithm {@code tome} or {@code pitome}
 * @param keepRatio fraction of the tokens every layer keeps
 * @param margin PiToMe's energy margin during the fit
 * @param alpha PiToMe's slope below the margin during the fit
 * @param model {@code name:version} of the head the calibration belongs to
 * @param calibration the refitted scale and offset
 * @param documents number of training-split documents the fit used
 * @param fittedOn how the logits were obtained, for people reading the file
 */
public record ReducedCalibration(String algorithm, double keepRatio, double margin, double alpha, String model,
        PlattCalibration calibration, int documents, String fittedOn) {

    /** Folder next to {@code model.json} that contains the calibration files. */
    public static final String FOLDER = "reduction";

    private static final double RATIO_TOLERANCE = 1e-9;

    public ReducedCalibration {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(calibration, "calibration");
        ReductionAlgorithm parsed = ReductionAlgorithm.parse(algorithm);
        if (parsed == ReductionAlgorithm.NONE) {
            throw new IllegalArgumentException("a reduced calibration needs algorithm tome or pitome, found " + algorithm);
        }
        if (!(keepRatio > 0 && keepRatio < 1)) {
            throw new IllegalArgumentException("keep ratio " + keepRatio + " is outside (0, 1)");
        }
    }

    /** Returns the file name of this setting, such as {@code pitome-0.75.json}. */
    public static String fileName(ReductionSettings settings) {
        return settings.algorithm().name().toLowerCase(Locale.ROOT) + "-"
                + String.format(Locale.ROOT, "%.2f", settings.keepRatio()) + ".json";
    }

    /** Returns the reduction setting the calibration was fitted with, on every layer. */
    public ReductionSettings settings() {
        return new ReductionSettings(ReductionAlgorithm.parse(algorithm), keepRatio, 0, java.util.Set.of(), margin,
                alpha);
    }

    /**
     * Returns whether {@code settings} reduces tokens exactly as during the fit: same algorithm and
     * keep ratio, every layer, the amount given as a ratio rather than as {@code r}, and for PiToMe the
     * same margin and alpha (ToMe does not use them).
     */
    public boolean matches(ReductionSettings settings) {
        return settings.isActive()
                && settings.algorithm() == ReductionAlgorithm.parse(algorithm)
                && Math.abs(settings.keepRatio() - keepRatio) < RATIO_TOLERANCE
                && mismatch(settings) == null;
    }

    /**
     * Returns why this calibration does not fit {@code settings} although algorithm and keep ratio
     * agree, such as {@code "fitted with margin 0.5, configured 0.4"}, or {@code null} when nothing
     * else differs.
     */
    public String mismatch(ReductionSettings settings) {
        List<String> differences = new ArrayList<>();
        if (settings.mergesPerLayer() != 0) {
            differences.add("fitted with ratio " + keepRatio + ", configured r=" + settings.mergesPerLayer());
        }
        if (!settings.layers().isEmpty()) {
            differences.add("fitted on every layer, configured layers " + new java.util.TreeSet<>(settings.layers()));
        }
        boolean pitome = settings.algorithm() == ReductionAlgorithm.PITOME;
        if (pitome && settings.margin() != margin) {
            differences.add("fitted with margin " + margin + ", configured " + settings.margin());
        }
        if (pitome && settings.alpha() != alpha) {
            differences.add("fitted with alpha " + alpha + ", configured " + settings.alpha());
        }
        return differences.isEmpty() ? null : String.join("; ", differences);
    }

    /** Returns whether this file was fitted for the algorithm and keep ratio of {@code settings}. */
    public boolean sameAmount(ReductionSettings settings) {
        return settings.algorithm() == ReductionAlgorithm.parse(algorithm)
                && Math.abs(settings.keepRatio() - keepRatio) < RATIO_TOLERANCE;
    }
}
