package dev.mlsuite.vision.mesh;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Writes triangle meshes as binary PLY or Wavefront OBJ, both with per-vertex colours. */
public final class MeshWriter {

    private MeshWriter() {
    }

    /**
     * Writes binary little-endian PLY: vertices with float {@code x y z} and, when present, uchar
     * {@code red green blue}; faces as a uchar-counted list of int {@code vertex_indices}.
     */
    public static void writePly(TriangleMesh mesh, OutputStream out) throws IOException {
        boolean coloured = mesh.colours() != null;
        StringBuilder header = new StringBuilder()
                .append("ply\n")
                .append("format binary_little_endian 1.0\n")
                .append("comment written by ml-suite vision-service\n")
                .append("element vertex ").append(mesh.vertexCount()).append('\n')
                .append("property float x\nproperty float y\nproperty float z\n");
        if (coloured) {
            header.append("property uchar red\nproperty uchar green\nproperty uchar blue\n");
        }
        header.append("element face ").append(mesh.faceCount()).append('\n')
                .append("property list uchar int vertex_indices\n")
                .append("end_header\n");
        out.write(header.toString().getBytes(StandardCharsets.US_ASCII));

        int vertexBytes = 12 + (coloured ? 3 : 0);
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int v = 0; v < mesh.vertexCount(); v++) {
            flushIfFull(buffer, vertexBytes, out);
            buffer.putFloat(mesh.vertices()[3 * v]).putFloat(mesh.vertices()[3 * v + 1])
                    .putFloat(mesh.vertices()[3 * v + 2]);
            if (coloured) {
                buffer.put(mesh.colours(), 3 * v, 3);
            }
        }
        for (int f = 0; f < mesh.faceCount(); f++) {
            flushIfFull(buffer, 13, out);
            buffer.put((byte) 3).putInt(mesh.faces()[3 * f]).putInt(mesh.faces()[3 * f + 1])
                    .putInt(mesh.faces()[3 * f + 2]);
        }
        out.write(buffer.array(), 0, buffer.position());
        out.flush();
    }

    private static void flushIfFull(ByteBuffer buffer, int needed, OutputStream out) throws IOException {
        if (buffer.remaining() < needed) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }

    /**
     * Writes OBJ text; colours use the common {@code v x y z r g b} extension with components in [0, 1],
     * which MeshLab, Blender and Open3D read.
     */
    public static void writeObj(TriangleMesh mesh, OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
        writer.write("# written by ml-suite vision-service: " + mesh.vertexCount() + " vertices, " + mesh.faceCount()
                + " faces\n");
        for (int v = 0; v < mesh.vertexCount(); v++) {
            float[] p = mesh.vertices();
            if (mesh.colours() != null) {
                byte[] c = mesh.colours();
                writer.write(String.format(Locale.ROOT, "v %.6f %.6f %.6f %.4f %.4f %.4f%n", p[3 * v], p[3 * v + 1],
                        p[3 * v + 2], (c[3 * v] & 0xff) / 255f, (c[3 * v + 1] & 0xff) / 255f,
                        (c[3 * v + 2] & 0xff) / 255f));
            } else {
                writer.write(String.format(Locale.ROOT, "v %.6f %.6f %.6f%n", p[3 * v], p[3 * v + 1], p[3 * v + 2]));
            }
        }
        for (int f = 0; f < mesh.faceCount(); f++) {
            int[] faces = mesh.faces();
            writer.write("f " + (faces[3 * f] + 1) + " " + (faces[3 * f + 1] + 1) + " " + (faces[3 * f + 2] + 1) + "\n");
        }
        writer.flush();
    }
}
