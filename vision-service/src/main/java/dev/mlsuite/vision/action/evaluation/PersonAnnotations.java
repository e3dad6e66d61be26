package dev.mlsuite.vision.action.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.mlsuite.vision.action.Detection;

/**
 * Hand-drawn person boxes on keyframes of one video, as stored in a {@code *.persons.json} file.
 *
 * @param video  file name of the video, resolved under the data folder's {@code videos/}
 * @param method how the boxes were made
 * @param frames annotated keyframes
 */
record PersonAnnotations(String video, int frameWidth, int frameHeight, String method, List<Keyframe> frames) {

    /** One annotated frame; frame indices count decoded frames from 0. */
    record Keyframe(int frame, List<Person> persons) {
    }

    /**
     * One person box in frame pixels.
     *
     * @param id        identity that stays the same across keyframes; {@code bg} for unidentified background persons
     * @param difficult true for persons too small, hidden or blurred to require; matches to them are ignored
     */
    record Person(String id, double x, double y, double w, double h, boolean difficult) {

        Detection box() {
            return new Detection(x, y, w, h, 1);
        }
    }

    static PersonAnnotations read(Path file) {
        try {
            // A missing "difficult" field means false.
            JsonMapper mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
            return mapper.readValue(Files.readString(file), PersonAnnotations.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read annotations from " + file, e);
        }
    }
}
