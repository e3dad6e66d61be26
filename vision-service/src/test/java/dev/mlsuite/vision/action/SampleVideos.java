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
}
