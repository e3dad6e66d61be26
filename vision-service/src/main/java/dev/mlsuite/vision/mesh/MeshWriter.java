package dev.mlsuite.vision.mesh;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

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
        StringBuilder line = new StringBuilder(96);
        float[] p = mesh.vertices();
        byte[] c = mesh.colours();
        for (int v = 0; v < mesh.vertexCount(); v++) {
            line.setLength(0);
            line.append('v');
            for (int axis = 0; axis < 3; axis++) {
                appendFixed(line.append(' '), p[3 * v + axis], 6);
            }
            if (c != null) {
                for (int channel = 0; channel < 3; channel++) {
                    appendFixed(line.append(' '), (c[3 * v + channel] & 0xff) / 255.0, 4);
                }
            }
            writer.append(line).append('\n');
        }
        for (int f = 0; f < mesh.faceCount(); f++) {
            int[] faces = mesh.faces();
            writer.write("f " + (faces[3 * f] + 1) + " " + (faces[3 * f + 1] + 1) + " " + (faces[3 * f + 2] + 1) + "\n");
        }
        writer.flush();
    }

    /** Appends {@code value} rounded to {@code decimals} digits, like {@code %.Nf} but without its formatting cost. */
    static void appendFixed(StringBuilder out, double value, int decimals) {
        long scale = 1;
        for (int k = 0; k < decimals; k++) {
            scale *= 10;
        }
        long scaled = Math.round(Math.abs(value) * scale);
        if (value < 0 && scaled != 0) {
            out.append('-');
        }
        out.append(scaled / scale).append('.');
        String fraction = Long.toString(scaled % scale);
        for (int k = fraction.length(); k < decimals; k++) {
            out.append('0');
        }
        out.append(fraction);
    }
}
