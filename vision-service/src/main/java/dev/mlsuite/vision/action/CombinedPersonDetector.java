package dev.mlsuite.vision.action;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The union of several detectors' boxes, followed by non-maximum suppression. The detectors' scores
 * are on different scales, so suppression ranks boxes first by the detector's position in the list
 * (earlier wins) and then by score; the kept boxes keep their original scores.
 */
public final class CombinedPersonDetector implements PersonDetector {

    private final List<PersonDetector> detectors;
    private final double nmsIouThreshold;

    public CombinedPersonDetector(List<PersonDetector> detectors, double nmsIouThreshold) {
        if (detectors.isEmpty()) {
            throw new IllegalArgumentException("A combined detector needs at least one detector");
        }
        if (!(nmsIouThreshold > 0 && nmsIouThreshold <= 1)) {
            throw new IllegalArgumentException("nmsIouThreshold must be in (0, 1], got " + nmsIouThreshold);
        }
        this.detectors = List.copyOf(detectors);
        this.nmsIouThreshold = nmsIouThreshold;
    }

    @Override
    public String name() {
        return detectors.stream().map(PersonDetector::name).collect(Collectors.joining(" + "));
    }

    @Override
    public String scoreDescription() {
        return detectors.stream().map(detector -> detector.name() + ": " + detector.scoreDescription())
                .collect(Collectors.joining("; ")) + "; where boxes of two detectors overlap by more than IoU "
                + nmsIouThreshold + ", the box of the detector listed first is kept";
    }

    @Override
    public List<Detection> detect(VideoFrame frame) {
        List<Ranked> candidates = new ArrayList<>();
        for (int rank = 0; rank < detectors.size(); rank++) {
            for (Detection box : detectors.get(rank).detect(frame)) {
                candidates.add(new Ranked(rank, box));
            }
        }
        candidates.sort(Comparator.comparingInt(Ranked::rank)
                .thenComparing(Comparator.comparingDouble((Ranked ranked) -> ranked.box().score()).reversed()));

        List<Detection> kept = new ArrayList<>();
        for (Ranked candidate : candidates) {
            boolean suppressed = kept.stream().anyMatch(winner -> candidate.box().iou(winner) > nmsIouThreshold);
            if (!suppressed) {
                kept.add(candidate.box());
            }
        }
        return kept;
    }

    private record Ranked(int rank, Detection box) {
    }
}
