package dev.mlsuite.vision.action.evaluation;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.mlsuite.vision.action.HogSettings;

/**
 * Command-line entry point of the person-detection evaluation. Modes:
 * <ul>
 *   <li>{@code frames VIDEO OUTPUT_DIR FRAME...}: writes enlarged frames with a coordinate grid for hand annotation;</li>
 *   <li>{@code evaluate DATA_DIR ANNOTATIONS_JSON OUTPUT_DIR}: runs detection and tracking on the annotated
 *       video (resolved under {@code DATA_DIR/videos}) and writes the figures and preview images.</li>
 * </ul>
 */
public final class ActionDetectionEvaluation {

    private ActionDetectionEvaluation() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (args.length >= 3 && args[0].equals("frames")) {
            Set<Integer> frames = Arrays.stream(args, 3, args.length).map(Integer::parseInt).collect(Collectors.toSet());
            AnnotationFrames.write(Path.of(args[1]), frames, Path.of(args[2]));
            return;
        }
        if (args.length >= 4 && args.length % 2 == 0 && args[0].equals("evaluate")) {
            HogSettings settings = detectorSettings(Arrays.copyOfRange(args, 4, args.length));
            DetectionEvaluator.run(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), settings);
            return;
        }
        System.err.println("""
                Usage:
                  frames VIDEO OUTPUT_DIR FRAME_INDEX...   write enlarged frames with a pixel grid for annotation
                  evaluate DATA_DIR ANNOTATIONS_JSON OUTPUT_DIR [OPTION VALUE]...
                                                  score detection and tracking against the annotations
                Detector options of evaluate (defaults as in the service):
                  --upscale 1.0,2.0   --hit-threshold 0   --group-threshold 2   --min-score 0.3   --nms-iou 0.4""");
        System.exit(2);
    }

    /** Builds HOG settings from the service defaults, changed by {@code --option value} pairs. */
    private static HogSettings detectorSettings(String[] options) {
        HogSettings defaults = HogSettings.defaults();
        List<Double> upscale = defaults.upscaleFactors();
        double hitThreshold = defaults.hitThreshold();
        int groupThreshold = defaults.groupThreshold();
        double minScore = defaults.minScore();
        double nmsIou = defaults.nmsIouThreshold();
        for (int i = 0; i < options.length; i += 2) {
            String value = options[i + 1];
            switch (options[i]) {
                case "--upscale" -> upscale = Arrays.stream(value.split(",")).map(Double::parseDouble).toList();
                case "--hit-threshold" -> hitThreshold = Double.parseDouble(value);
                case "--group-threshold" -> groupThreshold = Integer.parseInt(value);
                case "--min-score" -> minScore = Double.parseDouble(value);
                case "--nms-iou" -> nmsIou = Double.parseDouble(value);
                default -> throw new IllegalArgumentException("Unknown option " + options[i]
                        + "; expected --upscale, --hit-threshold, --group-threshold, --min-score or --nms-iou");
            }
        }
        return new HogSettings(upscale, defaults.windowStride(), defaults.padding(), defaults.pyramidScale(),
                hitThreshold, groupThreshold, minScore, nmsIou);
    }
}
