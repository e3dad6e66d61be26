package dev.mlsuite.vision.splat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class CamerasJsonReaderTest {

    /** Writes a camera the way 3DGS training does: centre as position, camera-to-world rotation as rows. */
    private static String toJson(Camera camera, int id) {
        double[] r = camera.rotation();
        double[] centre = camera.centre();
        return String.format(Locale.ROOT, "{\"id\": %d, \"img_name\": \"frame_%d\", \"width\": %d, \"height\": %d, "
                + "\"position\": [%.12f, %.12f, %.12f], \"rotation\": [[%.12f, %.12f, %.12f], [%.12f, %.12f, %.12f], "
                + "[%.12f, %.12f, %.12f]], \"fy\": %.6f, \"fx\": %.6f}", id, id, camera.width(), camera.height(),
                centre[0], centre[1], centre[2], r[0], r[3], r[6], r[1], r[4], r[7], r[2], r[5], r[8], camera.fy(),
                camera.fx());
    }

    @Test
    void roundTripsTrainingCameras() throws IOException {
        Camera first = Camera.lookAt("a", 640, 480, 60, new double[] {3, -1, 2}, new double[] {0, 0, 0.5},
                new double[] {0, 0, 1});
        Camera second = Camera.lookAt("b", 320, 240, 45, new double[] {-2, 2, 1}, new double[] {0.1, 0, 0},
                new double[] {0, 0, 1});
        String json = "[" + toJson(first, 0) + ", " + toJson(second, 1) + "]";

        List<Camera> cameras = new CamerasJsonReader(10).read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(cameras).hasSize(2);
        assertThat(cameras.get(0).name()).isEqualTo("frame_0");
        assertThat(cameras.get(0).rotation()).containsExactly(first.rotation(), within(1e-9));
        assertThat(cameras.get(0).translation()).containsExactly(first.translation(), within(1e-9));
        assertThat(cameras.get(1).fx()).isCloseTo(second.fx(), within(1e-6));
        assertThat(cameras.get(1).cx()).isEqualTo(159.5);
    }

    @Test
    void rejectsInvalidFiles() {
        assertInvalid("{\"not\": \"an array\"}", "JSON array");
        assertInvalid("[]", "no cameras");
        assertInvalid("[{\"width\": 10, \"height\": 10, \"fx\": 5, \"fy\": 5, \"position\": [0, 0], "
                + "\"rotation\": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}]", "'position' with 3 numbers");
        assertInvalid("[{\"width\": 10, \"height\": 10, \"fy\": 5, \"position\": [0, 0, 0], "
                + "\"rotation\": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}]", "numeric 'fx'");
        assertInvalid("[1, 2, 3]", "limit of 2");
        assertInvalid("[{", "not valid JSON");
    }

    private static void assertInvalid(String json, String messagePart) {
        assertThatThrownBy(() -> new CamerasJsonReader(2).read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(messagePart);
    }
}
