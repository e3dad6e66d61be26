package dev.mlsuite.vision.splat;

/**
 * A rectified stereo pair: the right camera has the left camera's orientation and intrinsics and
 * sits {@code baseline} scene units along the left camera's x axis, so a point at depth {@code z}
 * appears {@code fx * baseline / z} pixels further left in the right image.
 */
public record StereoPair(Camera left, Camera right, double baseline) {

    public static StereoPair withRightTwin(Camera left, double baseline) {
        if (!(baseline > 0)) {
            throw new IllegalArgumentException("Stereo baseline must be positive, got " + baseline);
        }
        Camera right = left.translated(left.name() + "-right", Vectors.scale(left.rightAxis(), baseline));
        return new StereoPair(left, right, baseline);
    }
}
