package dev.mlsuite.vision.action;

import java.util.List;

/** The built-in person detectors that {@code vision.action.detector.type} selects. */
public enum PersonDetectorType {

    /** OpenCV's HOG pedestrian detector: upright, whole-body people. */
    HOG,

    /** Haar face cascades with the body box extrapolated from the face: close-ups and seated people. */
    FACE,

    /** Both, boxes joined and overlaps removed, face-derived boxes winning overlaps. */
    FACE_AND_HOG;

    /** Builds the detector of this type. */
    public PersonDetector create(HogSettings hogSettings, FaceCascadeSettings faceSettings) {
        return switch (this) {
            case HOG -> new HogPersonDetector(hogSettings);
            case FACE -> new FaceCascadePersonDetector(faceSettings);
            case FACE_AND_HOG -> new CombinedPersonDetector(List.of(new FaceCascadePersonDetector(faceSettings),
                    new HogPersonDetector(hogSettings)), faceSettings.nmsIouThreshold());
        };
    }
}
