package dev.mlsuite.vision.splat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mlsuite.vision.splat.SplatFormatException.Kind;

class GaussianPlyReaderTest {

    /** x y z, f_dc_0..2, opacity logit, log-scales, unnormalised quaternion (w, x, y, z). */
    private static final double[] FIRST = {1, 2, 3, 0.1, 0.2, 0.3, 0.0, Math.log(0.5), Math.log(0.25), Math.log(2), 2, 0, 0, 0};
    private static final double[] SECOND = {-1.5, 0.25, 4, -1, 0, 1, 2.0, -3, -2, -1, 1, 1, 1, 1};

    private static GaussianScene read(byte[] bytes) throws IOException {
        return new GaussianPlyReader().read(new ByteArrayInputStream(bytes));
    }

    private static PlyFixture twoGaussians(String format) {
        return PlyFixture.of(format, PlyFixture.STANDARD).row(FIRST).row(SECOND);
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary_little_endian", "binary_big_endian", "ascii"})
    void decodesEveryEncoding(String format) throws IOException {
        GaussianScene scene = read(twoGaussians(format).bytes());

        assertThat(scene.count()).isEqualTo(2);
        assertThat(scene.shDegree()).isZero();
        assertThat(scene.positions()).containsExactly(new float[] {1, 2, 3, -1.5f, 0.25f, 4}, within(1e-6f));
        assertThat(scene.shDc()).containsExactly(new float[] {0.1f, 0.2f, 0.3f, -1, 0, 1}, within(1e-6f));
        assertThat(scene.opacities()[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(scene.opacities()[1]).isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-6f));
        assertThat(scene.scales()).containsExactly(
                new float[] {0.5f, 0.25f, 2, (float) Math.exp(-3), (float) Math.exp(-2), (float) Math.exp(-1)},
                within(1e-6f));
        assertThat(scene.rotations()).containsExactly(new float[] {1, 0, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f}, within(1e-6f));
    }

    @Test
    void mapsChannelMajorRestCoefficients() throws IOException {
        String[] names = Arrays.copyOf(PlyFixture.STANDARD, PlyFixture.STANDARD.length + 45);
        double[] row = Arrays.copyOf(FIRST, names.length);
        for (int k = 0; k < 45; k++) {
            names[PlyFixture.STANDARD.length + k] = "f_rest_" + k;
            row[PlyFixture.STANDARD.length + k] = k;
        }

        GaussianScene scene = read(PlyFixture.of("binary_little_endian", names).row(row).bytes());

        assertThat(scene.shDegree()).isEqualTo(3);
        assertThat(scene.restCoefficients()).isEqualTo(15);
        // Coefficient j of channel c is f_rest_(c * 15 + j).
        assertThat(scene.shRest()[3 * 4]).isEqualTo(4f);
        assertThat(scene.shRest()[3 * 4 + 1]).isEqualTo(19f);
        assertThat(scene.shRest()[3 * 4 + 2]).isEqualTo(34f);
    }

    @Test
    void acceptsDoublesExtraPropertiesAndLeadingElements() throws IOException {
        String[] names = Arrays.copyOf(PlyFixture.STANDARD, PlyFixture.STANDARD.length + 1);
        names[names.length - 1] = "nx";
        ByteBuffer body = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        body.put((byte) 2).putInt(7).putInt(8).put((byte) 5);
        byte[] preamble = Arrays.copyOf(body.array(), body.position());
        PlyFixture fixture = PlyFixture.of("binary_little_endian", names)
                .type("x", "double")
                .preamble("element note 1\nproperty list uchar int ids\nproperty uchar flag\n", preamble)
                .row(Arrays.copyOf(FIRST, names.length));

        GaussianScene scene = read(fixture.bytes());

        assertThat(scene.positions()).containsExactly(new float[] {1, 2, 3}, within(1e-6f));
    }

    @Test
    void readsDonutSample() throws IOException {
        GaussianScene scene = new GaussianPlyReader().read(Path.of("../samples/splats/donut/point_cloud.ply"));

        assertThat(scene.count()).isEqualTo(45_624);
        assertThat(scene.shDegree()).isZero();
        SceneBounds bounds = SceneBounds.of(scene);
        assertThat(bounds.radius()).isBetween(0.08, 0.15);
    }

    @Test
    void rejectsNonPlyInput() {
        assertFailure("PK\u0003\u0004 not a ply".getBytes(), Kind.NOT_A_PLY, "must start with the line 'ply'");
        assertFailure(new byte[0], Kind.NOT_A_PLY, "must start");
    }

    @Test
    void rejectsUnknownEncoding() {
        byte[] bytes = twoGaussians("binary_little_endian").bytes();
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("binary_little_endian", "binary_middle_endian");
        assertFailure(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), Kind.UNSUPPORTED_FORMAT,
                "binary_middle_endian");
    }

    @Test
    void rejectsHeaderWithoutEnd() {
        assertFailure("ply\nformat ascii 1.0\nelement vertex 1\n".getBytes(), Kind.TRUNCATED_FILE, "end_header");
    }

    @Test
    void rejectsMissingProperties() {
        String[] withoutOpacity = Arrays.stream(PlyFixture.STANDARD)
                .filter(name -> !name.equals("opacity") && !name.equals("rot_3"))
                .toArray(String[]::new);
        assertFailure(PlyFixture.of("ascii", withoutOpacity).row(new double[12]).bytes(), Kind.MISSING_PROPERTY,
                "[opacity, rot_3]");
    }

    @Test
    void rejectsIncompleteRestCoefficients() {
        String[] names = Arrays.copyOf(PlyFixture.STANDARD, PlyFixture.STANDARD.length + 5);
        for (int k = 0; k < 5; k++) {
            names[PlyFixture.STANDARD.length + k] = "f_rest_" + k;
        }
        assertFailure(PlyFixture.of("ascii", names).row(Arrays.copyOf(FIRST, names.length)).bytes(),
                Kind.MISSING_PROPERTY, "5 f_rest_* properties");
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary_little_endian", "binary_big_endian", "ascii"})
    void rejectsTruncatedData(String format) {
        byte[] bytes = twoGaussians(format).declaredCount(3).bytes();
        assertFailure(bytes, Kind.TRUNCATED_FILE, "truncated");
    }

    @Test
    void rejectsBinaryDataCutMidVertex() {
        byte[] bytes = twoGaussians("binary_little_endian").bytes();
        assertFailure(Arrays.copyOf(bytes, bytes.length - 5), Kind.TRUNCATED_FILE, "after 1 complete ones");
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary_little_endian", "ascii"})
    void rejectsNonFiniteValues(String format) {
        double[] nan = FIRST.clone();
        nan[7] = Double.NaN;
        assertFailure(PlyFixture.of(format, PlyFixture.STANDARD).row(FIRST).row(nan).bytes(), Kind.INVALID_VALUE,
                "Gaussian 1 has the non-finite value NaN in property 'scale_0'");
        double[] infinite = FIRST.clone();
        infinite[1] = Double.POSITIVE_INFINITY;
        assertFailure(PlyFixture.of(format, PlyFixture.STANDARD).row(infinite).bytes(), Kind.INVALID_VALUE,
                "property 'y'");
    }

    @Test
    void rejectsNonNumericAsciiValue() {
        byte[] bytes = new String(twoGaussians("ascii").bytes(), java.nio.charset.StandardCharsets.US_ASCII)
                .replaceFirst("end_header\n1\\.0+", "end_header\nabc").getBytes();
        assertFailure(bytes, Kind.INVALID_VALUE, "'abc'");
    }

    @Test
    void rejectsTooManyGaussians() {
        byte[] bytes = twoGaussians("binary_little_endian").bytes();
        assertThatThrownBy(() -> new GaussianPlyReader(1).read(new ByteArrayInputStream(bytes)))
                .isInstanceOfSatisfying(SplatFormatException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_GAUSSIANS))
                .hasMessageContaining("declares 2 Gaussians, more than the limit of 1");
    }

    @Test
    void rejectsEmptyScene() {
        assertFailure(PlyFixture.of("binary_little_endian", PlyFixture.STANDARD).bytes(), Kind.EMPTY_SCENE,
                "0 Gaussians");
    }

    @Test
    void rejectsDegenerateGaussians() {
        double[] tiny = FIRST.clone();
        tiny[7] = -100;
        tiny[8] = -100;
        tiny[9] = -90;
        assertFailure(PlyFixture.of("ascii", PlyFixture.STANDARD).row(tiny).bytes(), Kind.DEGENERATE_GAUSSIAN,
                "no extent");
        double[] huge = FIRST.clone();
        huge[8] = 40;
        assertFailure(PlyFixture.of("ascii", PlyFixture.STANDARD).row(huge).bytes(), Kind.DEGENERATE_GAUSSIAN,
                "scale_1");
        double[] zeroRotation = FIRST.clone();
        zeroRotation[10] = 0;
        assertFailure(PlyFixture.of("ascii", PlyFixture.STANDARD).row(zeroRotation).bytes(), Kind.DEGENERATE_GAUSSIAN,
                "zero rotation quaternion");
    }

    private static void assertFailure(byte[] bytes, Kind kind, String messagePart) {
        assertThatThrownBy(() -> read(bytes))
                .isInstanceOfSatisfying(SplatFormatException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(messagePart);
    }
}
