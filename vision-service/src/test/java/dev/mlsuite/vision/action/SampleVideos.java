package dev.mlsuite.vision.action;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sample clips committed under {@code samples/videos} and damaged copies made from them. */
public final class SampleVideos {

    private SampleVideos() {
    }

    /** Returns the AVA clip: 340x256, 6 frames per second, 57 frames, 9.5 s, several people. */
    public static Path avaClip() {
        Path fromModule = Path.of("..", "samples", "videos", "ava_clip.mp4");
        Path fromRoot = Path.of("samples", "videos", "ava_clip.mp4");
        Path clip = Files.exists(fromModule) ? fromModule : fromRoot;
        if (!Files.exists(clip)) {
            throw new IllegalStateException("Sample clip not found at " + fromModule.toAbsolutePath());
        }
        return clip;
    }

    /** Writes a copy of the AVA clip whose {@code mdat} payload is zeroed: the container opens, no frame decodes. */
    public static Path avaClipWithZeroedFrames(Path directory) throws IOException {
        byte[] bytes = Files.readAllBytes(avaClip());
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int offset = 0;
        boolean zeroed = false;
        while (offset + 8 <= bytes.length) {
            int boxSize = buffer.getInt(offset);
            String boxType = new String(bytes, offset + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (boxType.equals("mdat")) {
                java.util.Arrays.fill(bytes, offset + 8, offset + boxSize, (byte) 0);
                zeroed = true;
            }
            offset += boxSize;
        }
        if (!zeroed) {
            throw new IllegalStateException("The sample clip has no top-level mdat box");
        }
        Path damaged = directory.resolve("zeroed.mp4");
        Files.write(damaged, bytes);
        return damaged;
    }

    /**
     * Writes a copy of the AVA clip with its {@code moov} box (the index) moved in front of {@code mdat}, as
     * {@code ffmpeg -movflags +faststart} writes it, cut after {@code keptShare} of its bytes. The index stays
     * complete, so FFmpeg opens the file and reports the full duration, but the frames after the cut are
     * missing, as in a download that stopped early.
     */
    public static Path avaClipFastStartCut(Path directory, double keptShare) throws IOException {
        byte[] bytes = Files.readAllBytes(avaClip());
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int mdatOffset = -1;
        int moovOffset = -1;
        for (int offset = 0; offset + 8 <= bytes.length; offset += buffer.getInt(offset)) {
            String boxType = new String(bytes, offset + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (boxType.equals("mdat")) {
                mdatOffset = offset;
            } else if (boxType.equals("moov")) {
                moovOffset = offset;
            }
        }
        if (mdatOffset < 0 || moovOffset < mdatOffset) {
            throw new IllegalStateException("The sample clip no longer has its moov box after mdat");
        }

        int moovSize = bytes.length - moovOffset;
        byte[] moov = java.util.Arrays.copyOfRange(bytes, moovOffset, bytes.length);
        shiftChunkOffsets(ByteBuffer.wrap(moov), 8, moov.length, moovSize);

        byte[] fastStart = new byte[bytes.length];
        System.arraycopy(bytes, 0, fastStart, 0, mdatOffset);
        System.arraycopy(moov, 0, fastStart, mdatOffset, moovSize);
        System.arraycopy(bytes, mdatOffset, fastStart, mdatOffset + moovSize, moovOffset - mdatOffset);

        Path cut = directory.resolve("faststart-cut.mp4");
        Files.write(cut, java.util.Arrays.copyOf(fastStart, mdatOffset + moovSize
                + (int) ((moovOffset - mdatOffset) * keptShare)));
        return cut;
    }

    /** Adds {@code shift} to every 32-bit chunk offset of the {@code stco} boxes between {@code start} and {@code end}. */
    private static void shiftChunkOffsets(ByteBuffer box, int start, int end, int shift) {
        for (int offset = start; offset + 8 <= end; offset += box.getInt(offset)) {
            String type = new String(new byte[] {box.get(offset + 4), box.get(offset + 5), box.get(offset + 6),
                    box.get(offset + 7)}, java.nio.charset.StandardCharsets.US_ASCII);
            int size = box.getInt(offset);
            switch (type) {
                case "trak", "mdia", "minf", "stbl" -> shiftChunkOffsets(box, offset + 8, offset + size, shift);
                case "stco" -> {
                    int entries = box.getInt(offset + 12);
                    for (int k = 0; k < entries; k++) {
                        int position = offset + 16 + 4 * k;
                        box.putInt(position, box.getInt(position) + shift);
                    }
                }
                case "co64" -> throw new IllegalStateException("The sample clip uses 64-bit chunk offsets");
                default -> {
                }
            }
        }
    }
}
