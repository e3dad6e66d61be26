package dev.mlsuite.vision.action;

import java.util.List;

/**
 * One tracked person: boxes on consecutive sampled frames, ordered by time.
 *
 * @param trackId id of the track, unique within one video, numbered from 1 in order of first appearance
 * @param boxes   boxes from the first to the last detection of the person, gaps filled by interpolation
 */
public record PersonTube(int trackId, List<TubeBox> boxes) {

    public PersonTube {
        boxes = List.copyOf(boxes);
    }

    /** Number of boxes the detector found, without interpolated ones. */
    public long detectedCount() {
        return boxes.stream().filter(box -> !box.interpolated()).count();
    }
}
