package dev.mlsuite.vision.action.evaluation;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.vision.action.ActionDetectionProperties;
import dev.mlsuite.vision.action.FaceCascadeSettings;
import dev.mlsuite.vision.action.HogSettings;
import dev.mlsuite.vision.action.NanoDetSettings;
import dev.mlsuite.vision.action.PersonDetectorType;
import dev.mlsuite.vision.action.TrackerSettings;

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
            DetectorChoice choice = detectorChoice(Arrays.copyOfRange(args, 4, args.length));
            DetectionEvaluator.run(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]),
                    choice.type().create(choice.hog(), choice.face(), choice.nanoDet(),
                            () -> InferenceEngine.startDefault().newManager()), choice.describe(), choice.tracker());
            return;
        }
        System.err.println("""
                Usage:
                  frames VIDEO OUTPUT_DIR FRAME_INDEX...   write enlarged frames with a pixel grid for annotation
                  evaluate DATA_DIR ANNOTATIONS_JSON OUTPUT_DIR [OPTION VALUE]...
                                                  score detection and tracking against the annotations
                Detector options of evaluate (defaults as in the service):
                  --detector nanodet   (nanodet, face, hog or face_and_hog)
                  HOG: --upscale 1.0,2.0   --hit-threshold 0   --group-threshold 2   --min-score 0.3   --nms-iou 0.4
                  face: --face-upscale 2.0   --face-min-neighbors 3   --face-min-size 40
                        --body-width 5.0   --body-height 8.0   --headroom 0.5   (in face widths and heights)
                  NanoDet: --nanodet-model models/person-detector/nanodet.json   --nanodet-score 0.35
                           --nanodet-nms-iou 0.5
                Tracker options of evaluate (defaults as in the service):
                  --tracker-iou 0.2   --max-missed-frames 6   --min-detections 2   (in sampled frames)""");
        System.exit(2);
    }

    /** The detector type and its settings for one evaluation run. */
    private record DetectorChoice(PersonDetectorType type, HogSettings hog, FaceCascadeSettings face,
            NanoDetSettings nanoDet, TrackerSettings tracker) {

        String describe() {
            String detector = switch (type) {
                case HOG -> hog.toString();
                case FACE -> face.toString();
                case FACE_AND_HOG -> face + " and " + hog;
                case NANODET -> nanoDet.toString();
            };
            return detector + ", " + tracker;
        }
    }

    /** Builds the detector settings from the service defaults, changed by {@code --option value} pairs. */
    private static DetectorChoice detectorChoice(String[] options) {
        HogSettings defaults = HogSettings.defaults();
        FaceCascadeSettings faceDefaults = FaceCascadeSettings.defaults();
        PersonDetectorType type = new ActionDetectionProperties.Detector().getType();
        double faceUpscale = faceDefaults.upscaleFactor();
        int minNeighbors = faceDefaults.minNeighbors();
        int minFaceSize = faceDefaults.minFaceSize();
        double bodyWidth = faceDefaults.bodyWidthFaces();
        double bodyHeight = faceDefaults.bodyHeightFaces();
        double headroom = faceDefaults.headroomFaces();
        List<Double> upscale = defaults.upscaleFactors();
        double hitThreshold = defaults.hitThreshold();
        int groupThreshold = defaults.groupThreshold();
        double minScore = defaults.minScore();
        double nmsIou = defaults.nmsIouThreshold();
        NanoDetSettings nanoDetDefaults = NanoDetSettings.defaults();
        Path nanoDetModel = nanoDetDefaults.modelPath();
        double nanoDetScore = nanoDetDefaults.scoreThreshold();
        double nanoDetNmsIou = nanoDetDefaults.nmsIouThreshold();
        TrackerSettings trackerDefaults = new ActionDetectionProperties.Tracker().toSettings();
        double trackerIou = trackerDefaults.iouThreshold();
        int maxMissedFrames = trackerDefaults.maxMissedFrames();
        int minDetections = trackerDefaults.minDetections();
        for (int i = 0; i < options.length; i += 2) {
            String value = options[i + 1];
            switch (options[i]) {
                case "--upscale" -> upscale = Arrays.stream(value.split(",")).map(Double::parseDouble).toList();
                case "--hit-threshold" -> hitThreshold = Double.parseDouble(value);
                case "--group-threshold" -> groupThreshold = Integer.parseInt(value);
                case "--min-score" -> minScore = Double.parseDouble(value);
                case "--nms-iou" -> nmsIou = Double.parseDouble(value);
                case "--detector" -> type = PersonDetectorType.valueOf(value.toUpperCase(Locale.ROOT));
                case "--face-upscale" -> faceUpscale = Double.parseDouble(value);
                case "--face-min-neighbors" -> minNeighbors = Integer.parseInt(value);
                case "--face-min-size" -> minFaceSize = Integer.parseInt(value);
                case "--body-width" -> bodyWidth = Double.parseDouble(value);
                case "--body-height" -> bodyHeight = Double.parseDouble(value);
                case "--headroom" -> headroom = Double.parseDouble(value);
                case "--nanodet-model" -> nanoDetModel = Path.of(value);
                case "--nanodet-score" -> nanoDetScore = Double.parseDouble(value);
                case "--nanodet-nms-iou" -> nanoDetNmsIou = Double.parseDouble(value);
                case "--tracker-iou" -> trackerIou = Double.parseDouble(value);
                case "--max-missed-frames" -> maxMissedFrames = Integer.parseInt(value);
                case "--min-detections" -> minDetections = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("Unknown option " + options[i]
                        + "; run without arguments for the list of options");
            }
        }
        HogSettings hog = new HogSettings(upscale, defaults.windowStride(), defaults.padding(), defaults.pyramidScale(),
                hitThreshold, groupThreshold, minScore, nmsIou);
        FaceCascadeSettings face = new FaceCascadeSettings(faceUpscale, faceDefaults.scaleFactor(), minNeighbors,
                minFaceSize, faceDefaults.useProfile(), bodyWidth, bodyHeight, headroom, faceDefaults.nmsIouThreshold());
        TrackerSettings tracker = new TrackerSettings(trackerIou, maxMissedFrames, minDetections);
        NanoDetSettings nanoDet = new NanoDetSettings(nanoDetModel, nanoDetDefaults.inputSize(), nanoDetScore,
                nanoDetNmsIou);
        return new DetectorChoice(type, hog, face, nanoDet, tracker);
    }
}
