package dev.mlsuite.vision.action;

/**
 * Settings of {@link FaceCascadePersonDetector}: the cascade search and the fixed body proportions
 * that turn a face box into a person box. Proportions are in face-box units: a face of width
 * {@code w} and height {@code h} at {@code (x, y)} gives the person box
 * {@code x + w/2 - bodyWidthFaces*w/2}, {@code y - headroomFaces*h}, width {@code bodyWidthFaces*w},
 * height {@code bodyHeightFaces*h}, cut to the frame.
 *
 * @param upscaleFactor    the frame is resized by this factor before the search, so faces smaller than the
 *                         cascades' 20-pixel window are found; face boxes are mapped back to frame pixels
 * @param scaleFactor      ratio between successive cascade search scales, above 1
 * @param minNeighbors     overlapping raw hits a face needs to be reported; higher means fewer false faces
 * @param minFaceSize      smallest face searched, in pixels of the resized frame (width and height)
 * @param useProfile       also run the profile-face cascade, on the frame and on its mirror image
 * @param bodyWidthFaces   person width in face widths
 * @param bodyHeightFaces  person height in face heights, measured from the top of the person box
 * @param headroomFaces    how far the person box starts above the face, in face heights
 * @param nmsIouThreshold  overlap above which the weaker of two person boxes is removed
 */
public record FaceCascadeSettings(double upscaleFactor, double scaleFactor, int minNeighbors, int minFaceSize, boolean useProfile,
        double bodyWidthFaces, double bodyHeightFaces, double headroomFaces, double nmsIouThreshold) {

    public static final double DEFAULT_UPSCALE_FACTOR = 2.0;
    public static final double DEFAULT_SCALE_FACTOR = 1.1;
    public static final int DEFAULT_MIN_NEIGHBORS = 3;
    public static final int DEFAULT_MIN_FACE_SIZE = 40;
    public static final boolean DEFAULT_USE_PROFILE = true;
    public static final double DEFAULT_BODY_WIDTH_FACES = 5.0;
    public static final double DEFAULT_BODY_HEIGHT_FACES = 8.0;
    public static final double DEFAULT_HEADROOM_FACES = 0.5;
    public static final double DEFAULT_NMS_IOU_THRESHOLD = 0.4;

    public FaceCascadeSettings {
        if (!(upscaleFactor > 0 && upscaleFactor <= 4)) {
            throw new IllegalArgumentException("upscaleFactor must be in (0, 4], got " + upscaleFactor);
        }
        if (!(scaleFactor > 1)) {
            throw new IllegalArgumentException("scaleFactor must be above 1, got " + scaleFactor);
        }
        if (minNeighbors < 0 || minFaceSize < 1) {
            throw new IllegalArgumentException("minNeighbors must be at least 0 and minFaceSize at least 1, got "
                    + minNeighbors + " and " + minFaceSize);
        }
        if (!(bodyWidthFaces >= 1) || !(bodyHeightFaces >= 1) || !(headroomFaces >= 0)) {
            throw new IllegalArgumentException("bodyWidthFaces and bodyHeightFaces must be at least 1 and "
                    + "headroomFaces at least 0, got " + bodyWidthFaces + ", " + bodyHeightFaces + " and "
                    + headroomFaces);
        }
        if (!(nmsIouThreshold > 0 && nmsIouThreshold <= 1)) {
            throw new IllegalArgumentException("nmsIouThreshold must be in (0, 1], got " + nmsIouThreshold);
        }
    }

    public static FaceCascadeSettings defaults() {
        return new FaceCascadeSettings(DEFAULT_UPSCALE_FACTOR, DEFAULT_SCALE_FACTOR, DEFAULT_MIN_NEIGHBORS, DEFAULT_MIN_FACE_SIZE,
                DEFAULT_USE_PROFILE, DEFAULT_BODY_WIDTH_FACES, DEFAULT_BODY_HEIGHT_FACES, DEFAULT_HEADROOM_FACES,
                DEFAULT_NMS_IOU_THRESHOLD);
    }

    /** Returns the person box for a face box, before cutting it to the frame; the score is kept. */
    public Detection personBoxOf(Detection face) {
        double width = bodyWidthFaces * face.width();
        double height = bodyHeightFaces * face.height();
        double left = face.x() + face.width() / 2 - width / 2;
        double top = face.y() - headroomFaces * face.height();
        return new Detection(left, top, width, height, face.score());
    }
}
