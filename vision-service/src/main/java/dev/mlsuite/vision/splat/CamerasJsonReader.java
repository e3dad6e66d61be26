package dev.mlsuite.vision.splat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the {@code cameras.json} written by 3D Gaussian Splatting training: an array of objects
 * with {@code width}, {@code height}, {@code fx}, {@code fy}, {@code position} (camera centre) and
 * {@code rotation} (the 3x3 camera-to-world rotation, rows as arrays) in the OpenCV axis
 * convention. The principal point is the image centre, as the reference training code assumes.
 */
public final class CamerasJsonReader {

    /** Default maximum number of cameras accepted from one file. */
    public static final int DEFAULT_MAX_CAMERAS = 2000;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final int maxCameras;

    public CamerasJsonReader(int maxCameras) {
        this.maxCameras = maxCameras;
    }

    /** Parses the cameras; raises {@link IllegalArgumentException} naming the camera and field on invalid input. */
    public List<Camera> read(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cameras.json is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("cameras.json must contain a JSON array of cameras.");
        }
        if (root.isEmpty()) {
            throw new IllegalArgumentException("cameras.json contains no cameras.");
        }
        if (root.size() > maxCameras) {
            throw new IllegalArgumentException(
                    "cameras.json contains " + root.size() + " cameras, more than the limit of " + maxCameras + ".");
        }
        List<Camera> cameras = new ArrayList<>(root.size());
        for (int k = 0; k < root.size(); k++) {
            cameras.add(parseCamera(root.get(k), k));
        }
        return cameras;
    }

    private static Camera parseCamera(JsonNode node, int index) {
        String name = node.has("img_name") ? node.get("img_name").asString() : "camera-" + index;
        int width = (int) number(node, "width", index);
        int height = (int) number(node, "height", index);
        double fx = number(node, "fx", index);
        double fy = number(node, "fy", index);
        if (width < 1 || height < 1 || !(fx > 0) || !(fy > 0)) {
            throw new IllegalArgumentException("Camera " + index + " has a non-positive size or focal length.");
        }

        double[] position = vector(node.get("position"), index, "position");
        JsonNode rotationNode = node.get("rotation");
        if (rotationNode == null || !rotationNode.isArray() || rotationNode.size() != 3) {
            throw new IllegalArgumentException("Camera " + index + " needs 'rotation' as 3 rows of 3 numbers.");
        }
        double[] cameraToWorld = new double[9];
        for (int row = 0; row < 3; row++) {
            double[] values = vector(rotationNode.get(row), index, "rotation");
            System.arraycopy(values, 0, cameraToWorld, 3 * row, 3);
        }

        // World-to-camera rotation is the transpose; translation is -R * centre.
        double[] rotation = new double[9];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                rotation[3 * row + col] = cameraToWorld[3 * col + row];
            }
        }
        double[] translation = new double[3];
        for (int row = 0; row < 3; row++) {
            translation[row] = -(rotation[3 * row] * position[0] + rotation[3 * row + 1] * position[1]
                    + rotation[3 * row + 2] * position[2]);
        }
        return new Camera(name, width, height, fx, fy, (width - 1) / 2.0, (height - 1) / 2.0, rotation, translation);
    }

    private static double number(JsonNode node, String field, int index) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw new IllegalArgumentException("Camera " + index + " needs a numeric '" + field + "'.");
        }
        return value.asDouble();
    }

    private static double[] vector(JsonNode node, int index, String field) {
        if (node == null || !node.isArray() || node.size() != 3) {
            throw new IllegalArgumentException("Camera " + index + " needs '" + field + "' with 3 numbers.");
        }
        double[] values = new double[3];
        for (int k = 0; k < 3; k++) {
            if (!node.get(k).isNumber() || !Double.isFinite(node.get(k).asDouble())) {
                throw new IllegalArgumentException("Camera " + index + " has a non-numeric value in '" + field + "'.");
            }
            values[k] = node.get(k).asDouble();
        }
        return values;
    }
}
