package dev.mlsuite.vision.splat;

/**
 * A pinhole camera in the OpenCV/COLMAP convention used by 3D Gaussian Splatting: x to the right,
 * y down, z forward. A world point {@code p} maps to camera coordinates {@code R p + t} and to the
 * pixel {@code (fx x / z + cx, fy y / z + cy)}, where pixel centres lie at integer coordinates.
 *
 * @param rotation world-to-camera rotation, row-major 3x3
 * @param translation world-to-camera translation
 */
public record Camera(String name, int width, int height, double fx, double fy, double cx, double cy,
        double[] rotation, double[] translation) {

    public Camera {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("Camera size must be positive, got " + width + "x" + height);
        }
        if (!(fx > 0) || !(fy > 0)) {
            throw new IllegalArgumentException("Focal lengths must be positive, got fx=" + fx + ", fy=" + fy);
        }
        if (rotation.length != 9 || translation.length != 3) {
            throw new IllegalArgumentException("Rotation needs 9 values and translation 3");
        }
        rotation = rotation.clone();
        translation = translation.clone();
    }

    /**
     * Creates a camera at {@code centre} looking at {@code target}, with {@code up} as the approximate
     * image-up direction and the principal point at the image centre.
     */
    public static Camera lookAt(String name, int width, int height, double horizontalFovDegrees, double[] centre,
            double[] target, double[] up) {
        double[] forward = Vectors.normalize(Vectors.subtract(target, centre));
        double[] right = Vectors.cross(forward, up);
        if (Vectors.norm(right) < 1e-9) {
            right = Vectors.cross(forward, Math.abs(forward[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0});
        }
        right = Vectors.normalize(right);
        double[] down = Vectors.cross(forward, right);
        double[] rotation = {
            right[0], right[1], right[2],
            down[0], down[1], down[2],
            forward[0], forward[1], forward[2]
        };
        double[] translation = {
            -Vectors.dot(right, centre), -Vectors.dot(down, centre), -Vectors.dot(forward, centre)
        };
        double focal = 0.5 * width / Math.tan(Math.toRadians(horizontalFovDegrees) / 2);
        return new Camera(name, width, height, focal, focal, (width - 1) / 2.0, (height - 1) / 2.0, rotation,
                translation);
    }

    /** Returns the camera centre in world coordinates, {@code -R^T t}. */
    public double[] centre() {
        double[] r = rotation;
        double[] t = translation;
        return new double[] {
            -(r[0] * t[0] + r[3] * t[1] + r[6] * t[2]),
            -(r[1] * t[0] + r[4] * t[1] + r[7] * t[2]),
            -(r[2] * t[0] + r[5] * t[1] + r[8] * t[2])
        };
    }

    /** Returns the camera x axis (image right) in world coordinates. */
    public double[] rightAxis() {
        return new double[] {rotation[0], rotation[1], rotation[2]};
    }

    /** Returns the viewing direction in world coordinates. */
    public double[] forwardAxis() {
        return new double[] {rotation[6], rotation[7], rotation[8]};
    }

    /** Transforms a world point to camera coordinates. */
    public double[] toCamera(double x, double y, double z) {
        double[] r = rotation;
        return new double[] {
            r[0] * x + r[1] * y + r[2] * z + translation[0],
            r[3] * x + r[4] * y + r[5] * z + translation[1],
            r[6] * x + r[7] * y + r[8] * z + translation[2]
        };
    }

    /** Returns a copy of this camera moved by {@code offset} (world units) without rotating it. */
    public Camera translated(String newName, double[] offset) {
        double[] moved = Vectors.add(centre(), offset);
        double[] r = rotation;
        double[] t = {
            -(r[0] * moved[0] + r[1] * moved[1] + r[2] * moved[2]),
            -(r[3] * moved[0] + r[4] * moved[1] + r[5] * moved[2]),
            -(r[6] * moved[0] + r[7] * moved[1] + r[8] * moved[2])
        };
        return new Camera(newName, width, height, fx, fy, cx, cy, rotation, t);
    }

    /** Returns this camera with the image scaled so that its width is {@code newWidth} pixels. */
    public Camera resized(int newWidth) {
        double factor = (double) newWidth / width;
        int newHeight = Math.max(1, (int) Math.round(height * factor));
        return new Camera(name, newWidth, newHeight, fx * factor, fy * factor, (cx + 0.5) * factor - 0.5,
                (cy + 0.5) * factor - 0.5, rotation, translation);
    }
}
