package dev.mlsuite.vision.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Completeness of one video decode, so that a damaged or truncated upload does not pass as a clean one.
 *
 * @param decodedFrames      frames FFmpeg decoded, sampled or not
 * @param expectedFrames     frames the container states (or duration times frame rate when it states no count),
 *                           0 when neither is known
 * @param lastDecodedSeconds presentation time of the last decoded frame
 * @param warnings           plain-language findings about missing or damaged video, empty for a clean decode
 */
// NOTE: FFmpeg's per-packet decode errors are not counted, because VideoDecoder passes only fatal FFmpeg
// messages to the log. A file whose damaged frames decode as noise therefore gets only the no-tube warning.
public record DecodeReport(int decodedFrames, int expectedFrames, double lastDecodedSeconds, List<String> warnings) {

    /**
     * Share of the expected frames below which a decode counts as incomplete. Containers round their
     * frame counts and durations, so a few missing frames at the end are normal.
     */
    static final double MIN_DECODED_SHARE = 0.9;

    /** Builds the report of one decode and lists what looks damaged or incomplete. */
    static DecodeReport of(VideoInfo info, int decodedFrames, double lastDecodedSeconds, int tubeCount) {
        int expectedFrames = info.frameCount() > 0 ? info.frameCount()
                : (int) Math.round(info.durationSeconds() * Math.max(0, info.frameRate()));
        List<String> warnings = new ArrayList<>();

        if (expectedFrames > 0 && decodedFrames < MIN_DECODED_SHARE * expectedFrames) {
            warnings.add(String.format(Locale.ROOT,
                    "Only %d of the %d frames the container states were decoded, and the last decoded frame is at "
                            + "%.2f s of %.2f s; the file may be truncated or damaged, so the tubes cover only the "
                            + "decoded part.",
                    decodedFrames, expectedFrames, lastDecodedSeconds, info.durationSeconds()));
        }
        if (tubeCount == 0) {
            warnings.add("No person tube was found in " + decodedFrames + " decoded frames. If the video shows "
                    + "people, check that it plays correctly, because damaged frames decode as noise.");
        }
        return new DecodeReport(decodedFrames, expectedFrames, lastDecodedSeconds, List.copyOf(warnings));
    }
}
