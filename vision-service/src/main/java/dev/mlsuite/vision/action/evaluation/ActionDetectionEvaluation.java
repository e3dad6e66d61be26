package dev.mlsuite.vision.action.evaluation;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

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
        if (args.length == 4 && args[0].equals("evaluate")) {
            DetectionEvaluator.run(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            return;
        }
        System.err.println("""
                Usage:
                  frames VIDEO OUTPUT_DIR FRAME_INDEX...   write enlarged frames with a pixel grid for annotation
                  evaluate DATA_DIR ANNOTATIONS_JSON OUTPUT_DIR   score detection and tracking against the annotations""");
        System.exit(2);
    }
}
