package dev.mlsuite.vision.action.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mlsuite.vision.action.ActionDetectionPipeline;
import dev.mlsuite.vision.action.ActionDetectionRequest;
import dev.mlsuite.vision.action.ActionDetectionResult;
import dev.mlsuite.vision.action.ClipCheckpointActionScorer;
import dev.mlsuite.vision.action.Detection;
import dev.mlsuite.vision.action.FrameDetections;
import dev.mlsuite.vision.action.PersonDetector;
import dev.mlsuite.vision.action.PersonTube;
import dev.mlsuite.vision.action.PreviewRenderer;
import dev.mlsuite.vision.action.TrackerSettings;
import dev.mlsuite.vision.action.TubeBox;
import dev.mlsuite.vision.action.VideoDecoder;
import dev.mlsuite.vision.action.VideoLimits;

/**
 * Scores the service's default person detector and tracker against hand annotations. It reports
 * precision and recall at IoU 0.5 (and 0.3) on the annotated keyframes, both for the raw
 * detections and for the tube boxes the API returns. It also reports how continuously one tube
 * covers each annotated person. Writes {@code evaluation.md} and a preview PNG to the output folder.
 */
final class DetectionEvaluator {

    private static final Logger log = LoggerFactory.getLogger(DetectionEvaluator.class);

    /** Sampling rate of the evaluation; it equals the service default, so the tubes match what the API returns. */
    static final double SAMPLE_FPS = 2.0;
    private static final double[] IOU_THRESHOLDS = {0.5, 0.3};
    private static final int PREVIEW_TILE_WIDTH = 170;
    private static final int PREVIEW_FRAMES = 6;

    private DetectionEvaluator() {
    }

    static void run(Path dataDirectory, Path annotationsFile, Path outputDirectory, PersonDetector detector,
            String detectorSettings, TrackerSettings trackerSettings)
            throws IOException {
        PersonAnnotations annotations = PersonAnnotations.read(annotationsFile);
        Path video = dataDirectory.resolve("videos").resolve(annotations.video());
        Map<Integer, List<PersonAnnotations.Person>> personsByFrame = new TreeMap<>();
        for (PersonAnnotations.Keyframe keyframe : annotations.frames()) {
            personsByFrame.put(keyframe.frame(), keyframe.persons());
        }

        ActionDetectionPipeline pipeline = new ActionDetectionPipeline(new VideoDecoder(VideoLimits.defaults()),
                detector, trackerSettings,
                new ClipCheckpointActionScorer(Path.of("models", "clip")));
        ActionDetectionRequest request = new ActionDetectionRequest(SAMPLE_FPS, List.of(), 1,
                previewKeyframes(List.copyOf(personsByFrame.keySet())));
        long startNanos = System.nanoTime();
        ActionDetectionResult result = pipeline.run(video, request, fraction -> { });
        double pipelineSeconds = (System.nanoTime() - startNanos) / 1e9;

        Map<Integer, List<Detection>> detected = result.detections().stream()
                .collect(Collectors.toMap(FrameDetections::frameIndex, FrameDetections::detections));
        Map<Integer, List<Detection>> tubeBoxes = tubeBoxesByFrame(result.tubes());
        Set<Integer> missingFrames = personsByFrame.keySet().stream().filter(frame -> !detected.containsKey(frame))
                .collect(Collectors.toSet());
        if (!missingFrames.isEmpty()) {
            throw new IllegalArgumentException("Annotated frames " + missingFrames + " are not sampled at "
                    + SAMPLE_FPS + " frames per second; annotate frames that the sampling keeps");
        }

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "Detector: %s, settings: %s.%n%n", detector.name(), detectorSettings));
        report.append(String.format(Locale.ROOT, "Video `%s`: %d annotated keyframes, %d annotated persons "
                + "(%d marked difficult), %d sampled frames at %.1f per second, %d tubes.%n%n",
                annotations.video(), personsByFrame.size(), countPersons(personsByFrame, false)
                        + countPersons(personsByFrame, true),
                countPersons(personsByFrame, true), result.sampledFrames(), SAMPLE_FPS, result.tubes().size()));
        report.append(String.format(Locale.ROOT, "Pipeline time (decoding, detection, tracking): %.1f s, %.2f s "
                + "per sampled frame.%n%n", pipelineSeconds, pipelineSeconds / Math.max(1, result.sampledFrames())));
        report.append("| boxes | IoU | true positives | false positives | misses | precision | recall |\n");
        report.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (double threshold : IOU_THRESHOLDS) {
            appendRow(report, "detector output", threshold, total(personsByFrame, detected, threshold));
            appendRow(report, "tube boxes (API result)", threshold, total(personsByFrame, tubeBoxes, threshold));
        }
        report.append('\n');
        appendContinuity(report, personsByFrame, result.tubes());
        appendTubeSummary(report, result.tubes());

        Files.createDirectories(outputDirectory);
        Files.writeString(outputDirectory.resolve("evaluation.md"), report.toString());
        Map<Integer, List<Detection>> referenceBoxes = new LinkedHashMap<>();
        personsByFrame.forEach((frame, persons) -> referenceBoxes.put(frame,
                persons.stream().map(PersonAnnotations.Person::box).toList()));
        PreviewRenderer renderer = new PreviewRenderer(PREVIEW_TILE_WIDTH);
        ImageIO.write(renderer.render(result.previewFrames(), result.tubes(), Map.of(), referenceBoxes), "png",
                outputDirectory.resolve("preview.png").toFile());
        log.info("Evaluation written to {}:\n{}", outputDirectory.toAbsolutePath(), report);
    }

    /** Picks up to {@value #PREVIEW_FRAMES} annotated keyframes, spread evenly, for the preview image. */
    private static Set<Integer> previewKeyframes(List<Integer> keyframes) {
        Set<Integer> chosen = new java.util.TreeSet<>();
        int count = Math.min(PREVIEW_FRAMES, keyframes.size());
        for (int k = 0; k < count; k++) {
            chosen.add(keyframes.get(k * keyframes.size() / count));
        }
        return chosen;
    }

    private static MatchCounts total(Map<Integer, List<PersonAnnotations.Person>> personsByFrame,
            Map<Integer, List<Detection>> predictions, double threshold) {
        MatchCounts sum = new MatchCounts(0, 0, 0);
        for (Map.Entry<Integer, List<PersonAnnotations.Person>> entry : personsByFrame.entrySet()) {
            List<Detection> predicted = predictions.getOrDefault(entry.getKey(), List.of());
            sum = sum.plus(MatchCounts.of(predicted, entry.getValue(), threshold));
        }
        return sum;
    }

    private static Map<Integer, List<Detection>> tubeBoxesByFrame(List<PersonTube> tubes) {
        Map<Integer, List<Detection>> boxes = new TreeMap<>();
        for (PersonTube tube : tubes) {
            for (TubeBox box : tube.boxes()) {
                boxes.computeIfAbsent(box.frameIndex(), frame -> new ArrayList<>()).add(box.box());
            }
        }
        return boxes;
    }

    /**
     * Appends a continuity row per identified person. A tube covers a person on a keyframe when its box
     * overlaps the annotation with IoU at least 0.5. The row lists the covering tubes, the share of
     * keyframes covered by the most frequent one, and the tube changes between covered keyframes.
     */
    private static void appendContinuity(StringBuilder report, Map<Integer, List<PersonAnnotations.Person>> personsByFrame,
            List<PersonTube> tubes) {
        Map<String, List<Integer>> tubeOfPersonPerKeyframe = new TreeMap<>();
        for (Map.Entry<Integer, List<PersonAnnotations.Person>> entry : personsByFrame.entrySet()) {
            for (PersonAnnotations.Person person : entry.getValue()) {
                if (person.difficult()) {
                    continue;
                }
                tubeOfPersonPerKeyframe.computeIfAbsent(person.id(), id -> new ArrayList<>())
                        .add(coveringTube(tubes, entry.getKey(), person));
            }
        }

        report.append("| person | keyframes | covered by a tube | tubes | share of the main tube | tube changes |\n");
        report.append("| --- | --- | --- | --- | --- | --- |\n");
        for (Map.Entry<String, List<Integer>> entry : tubeOfPersonPerKeyframe.entrySet()) {
            List<Integer> covering = entry.getValue();
            List<Integer> covered = covering.stream().filter(id -> id > 0).toList();
            Map<Integer, Long> counts = covered.stream().collect(Collectors.groupingBy(id -> id, TreeMap::new,
                    Collectors.counting()));
            long main = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
            int changes = 0;
            for (int i = 1; i < covered.size(); i++) {
                if (!covered.get(i).equals(covered.get(i - 1))) {
                    changes++;
                }
            }
            report.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.2f | %d |%n", entry.getKey(),
                    covering.size(), covered.size(), counts.isEmpty() ? "none" : counts.keySet().toString(),
                    (double) main / covering.size(), changes));
        }
        report.append('\n');
    }

    /** Returns the id of the tube whose box on {@code frame} overlaps the person most with IoU at least 0.5, or 0. */
    private static int coveringTube(List<PersonTube> tubes, int frame, PersonAnnotations.Person person) {
        int best = 0;
        double bestIou = 0.5;
        for (PersonTube tube : tubes) {
            for (TubeBox box : tube.boxes()) {
                double iou = box.frameIndex() == frame ? box.box().iou(person.box()) : 0;
                if (iou >= bestIou) {
                    best = tube.trackId();
                    bestIou = iou;
                }
            }
        }
        return best;
    }

    private static void appendTubeSummary(StringBuilder report, List<PersonTube> tubes) {
        report.append("| tube | first frame | last frame | boxes | interpolated |\n");
        report.append("| --- | --- | --- | --- | --- |\n");
        for (PersonTube tube : tubes) {
            List<TubeBox> boxes = tube.boxes();
            report.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d |%n", tube.trackId(),
                    boxes.get(0).frameIndex(), boxes.get(boxes.size() - 1).frameIndex(), boxes.size(),
                    boxes.size() - tube.detectedCount()));
        }
    }

    private static void appendRow(StringBuilder report, String name, double threshold, MatchCounts counts) {
        report.append(String.format(Locale.ROOT, "| %s | %.1f | %d | %d | %d | %.2f | %.2f |%n", name, threshold,
                counts.truePositives(), counts.falsePositives(), counts.misses(), counts.precision(), counts.recall()));
    }

    private static int countPersons(Map<Integer, List<PersonAnnotations.Person>> personsByFrame, boolean difficult) {
        return (int) personsByFrame.values().stream().flatMap(List::stream)
                .filter(person -> person.difficult() == difficult).count();
    }
}
