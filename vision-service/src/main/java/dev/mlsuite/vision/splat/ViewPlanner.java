package dev.mlsuite.vision.splat;

import java.util.ArrayList;
import java.util.List;

/**
 * Places virtual cameras around a scene when no training cameras are supplied. The camera centres
 * follow a Fibonacci spiral on a sphere around the robust scene centre, every camera looks at the
 * centre, and the field of view covers the robust bounding sphere with a small margin.
 */
public final class ViewPlanner {

    private ViewPlanner() {
    }

    /**
     * Returns {@code viewCount} cameras at {@code distanceInRadii} scene radii from the centre, with
     * {@code up} as the world direction that appears upwards in the images.
     */
    public static List<Camera> around(SceneBounds bounds, int viewCount, double distanceInRadii, int width,
            int height, double[] up) {
        if (viewCount < 1) {
            throw new IllegalArgumentException("viewCount must be at least 1, got " + viewCount);
        }
        if (!(distanceInRadii > 1)) {
            throw new IllegalArgumentException("Cameras must be outside the bounding sphere: distanceInRadii > 1, got "
                    + distanceInRadii);
        }
        double distance = distanceInRadii * bounds.radius();
        double halfAngle = Math.asin(1 / distanceInRadii);
        double aspect = Math.min(1.0, (double) height / width);
        // The vertical half angle must cover the sphere; the horizontal one follows from the aspect ratio.
        double horizontalFov = Math.toDegrees(2 * Math.atan(Math.tan(halfAngle * 1.1) / aspect));
        horizontalFov = Math.min(horizontalFov, 150);

        double[] upAxis = Vectors.normalize(up);
        double[] side = Vectors.normalize(Vectors.cross(upAxis,
                Math.abs(upAxis[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0}));
        double[] third = Vectors.cross(upAxis, side);
        double goldenAngle = Math.PI * (3 - Math.sqrt(5));
        List<Camera> cameras = new ArrayList<>(viewCount);
        for (int k = 0; k < viewCount; k++) {
            // Heights spread evenly in (-1, 1), skipping the poles where "up" is undefined.
            double h = 1 - (2.0 * k + 1) / viewCount;
            h = Math.max(-0.95, Math.min(0.95, h));
            double ring = Math.sqrt(1 - h * h);
            double angle = goldenAngle * k;
            double[] direction = Vectors.add(Vectors.scale(upAxis, h),
                    Vectors.add(Vectors.scale(side, ring * Math.cos(angle)), Vectors.scale(third, ring * Math.sin(angle))));
            double[] position = Vectors.add(bounds.centre(), Vectors.scale(direction, distance));
            cameras.add(Camera.lookAt("view-" + k, width, height, horizontalFov, position, bounds.centre(), upAxis));
        }
        return cameras;
    }

    /**
     * Returns a camera for preview images: above the scene at about 35 degrees elevation, looking at
     * the centre, at {@code distanceInRadii} scene radii.
     */
    public static Camera preview(SceneBounds bounds, double distanceInRadii, int width, int height, double[] up) {
        double[] upAxis = Vectors.normalize(up);
        double[] side = Vectors.normalize(Vectors.cross(upAxis,
                Math.abs(upAxis[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0}));
        double[] third = Vectors.cross(upAxis, side);
        double[] direction = Vectors.normalize(Vectors.add(Vectors.scale(upAxis, 0.7),
                Vectors.add(Vectors.scale(side, 0.7), Vectors.scale(third, 0.7))));
        double halfAngle = Math.asin(1 / distanceInRadii);
        double aspect = Math.min(1.0, (double) height / width);
        double horizontalFov = Math.toDegrees(2 * Math.atan(Math.tan(halfAngle * 1.1) / aspect));
        double[] position = Vectors.add(bounds.centre(), Vectors.scale(direction, distanceInRadii * bounds.radius()));
        return Camera.lookAt("preview", width, height, Math.min(horizontalFov, 150), position, bounds.centre(), upAxis);
    }
}
