package dev.mlsuite.vision.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MeshWriterTest {

    private static final TriangleMesh TETRAHEDRON = new TriangleMesh(
            new float[] {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1},
            new byte[] {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, (byte) 128, (byte) 128, (byte) 128},
            new int[] {0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3});

    @Test
    void writesBinaryPlyWithColours() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        MeshWriter.writePly(TETRAHEDRON, out);

        byte[] bytes = out.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int bodyStart = text.indexOf("end_header\n") + "end_header\n".length();
        assertThat(text).startsWith("ply\nformat binary_little_endian 1.0\n")
                .contains("element vertex 4\n", "property uchar red\n", "element face 4\n",
                        "property list uchar int vertex_indices\n");
        assertThat(bytes.length - bodyStart).isEqualTo(4 * 15 + 4 * 13);
        ByteBuffer body = ByteBuffer.wrap(bytes, bodyStart, bytes.length - bodyStart).order(ByteOrder.LITTLE_ENDIAN);
        body.position(bodyStart + 15);
        assertThat(body.getFloat()).isEqualTo(1f);
        body.position(bodyStart + 4 * 15 + 13);
        assertThat(body.get()).isEqualTo((byte) 3);
        assertThat(body.getInt()).isZero();
        assertThat(body.getInt()).isEqualTo(1);
        assertThat(body.getInt()).isEqualTo(3);
    }

    @Test
    void writesObjWithOneBasedFaces() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        MeshWriter.writeObj(TETRAHEDRON, out);

        String[] lines = out.toString(StandardCharsets.US_ASCII).split("\n");
        assertThat(lines).hasSize(1 + 4 + 4);
        assertThat(lines[1]).isEqualTo("v 0.000000 0.000000 0.000000 1.0000 0.0000 0.0000");
        assertThat(lines[5]).isEqualTo("f 1 3 2");
    }

    @Test
    void fixedPointFormatMatchesStringFormat() {
        double[] values = {0, 1, -1, 0.5, -0.0000004, 123.4567895, -7.25, 1e-7, 0.99999999};
        for (double value : values) {
            StringBuilder out = new StringBuilder();
            MeshWriter.appendFixed(out, value, 6);
            assertThat(out.toString()).as("value %s", value)
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%.6f", value).replace("-0.000000", "0.000000"));
        }
    }

    @Test
    void tetrahedronIsClosedAndOutwardFacing() {
        assertThat(TETRAHEDRON.edgeUseCounts()).containsExactly(0, 6, 0);
        assertThat(TETRAHEDRON.area()).isCloseTo(1.5 + Math.sqrt(3) / 2, org.assertj.core.api.Assertions.within(1e-6));
    }
}
