package dev.mlsuite.vision.action;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.Supplier;

/** The built-in person detectors that {@code vision.action.detector.type} selects. */
public enum PersonDetectorType {

    /** OpenCV's HOG pedestrian detector: upright, whole-body people. */
    HOG,

    /** Haar face cascades with the body box extrapolated from the face: close-ups and seated people. */
    FACE,

    /** Both, boxes joined and overlaps removed, face-derived boxes winning overlaps. */
    FACE_AND_HOG,

    /** NanoDet, a learned COCO object detector, keeping its person class. */
    NANODET;

    /**
     * Builds the detector of this type.
     *
     * @param managers called only for {@link #NANODET}, for the memory scope of its model, so the PyTorch engine starts
     *                 only then
     */
    public PersonDetector create(HogSettings hogSettings, FaceCascadeSettings faceSettings, NanoDetSettings nanoDetSettings,
            Supplier<NDManager> managers) {
        return switch (this) {
            case NANODET -> new NanoDetPersonDetector(nanoDetSettings, managers.get());
            case HOG -> new HogPersonDetector(hogSettings);
            case FACE -> new FaceCascadePersonDetector(faceSettings);
            case FACE_AND_HOG -> new CombinedPersonDetector(List.of(new FaceCascadePersonDetector(faceSettings),
                    new HogPersonDetector(hogSettings)), faceSettings.nmsIouThreshold());
        };
    }
}
