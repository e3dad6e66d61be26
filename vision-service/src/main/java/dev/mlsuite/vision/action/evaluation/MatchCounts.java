package dev.mlsuite.vision.action.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.mlsuite.vision.action.Detection;

/**
 * True positives, false positives and misses of predicted boxes against annotated persons,
 * PASCAL VOC style: predictions are taken by descending score and each claims the unclaimed
 * annotation it overlaps most, if the overlap reaches the IoU threshold. Predictions that match
 * a difficult person, or overlap one enough when nothing else is left, count for nothing.
 */
record MatchCounts(int truePositives, int falsePositives, int misses) {

    static MatchCounts of(List<Detection> predictions, List<PersonAnnotations.Person> persons, double iouThreshold) {
        List<Detection> ordered = new ArrayList<>(predictions);
        ordered.sort(Comparator.comparingDouble(Detection::score).reversed());
        boolean[] claimed = new boolean[persons.size()];
        int truePositives = 0;
        int falsePositives = 0;

        for (Detection prediction : ordered) {
            int best = -1;
            double bestIou = iouThreshold;
            for (int i = 0; i < persons.size(); i++) {
                double iou = prediction.iou(persons.get(i).box());
                if (!claimed[i] && iou >= bestIou) {
                    best = i;
                    bestIou = iou;
                }
            }
            if (best >= 0) {
                claimed[best] = true;
                if (!persons.get(best).difficult()) {
                    truePositives++;
                }
            } else if (!overlapsDifficult(prediction, persons, iouThreshold)) {
                falsePositives++;
            }
        }

        int misses = 0;
        for (int i = 0; i < persons.size(); i++) {
            if (!claimed[i] && !persons.get(i).difficult()) {
                misses++;
            }
        }
        return new MatchCounts(truePositives, falsePositives, misses);
    }

    MatchCounts plus(MatchCounts other) {
        return new MatchCounts(truePositives + other.truePositives, falsePositives + other.falsePositives,
                misses + other.misses);
    }

    double precision() {
        int predicted = truePositives + falsePositives;
        return predicted == 0 ? Double.NaN : (double) truePositives / predicted;
    }

    double recall() {
        int annotated = truePositives + misses;
        return annotated == 0 ? Double.NaN : (double) truePositives / annotated;
    }

    private static boolean overlapsDifficult(Detection prediction, List<PersonAnnotations.Person> persons,
            double iouThreshold) {
        return persons.stream().anyMatch(person -> person.difficult() && prediction.iou(person.box()) >= iouThreshold);
    }
}
