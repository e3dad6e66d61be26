package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionDetectionPipelineTest {

    private static final VideoDecoder DECODER = new VideoDecoder(VideoLimits.defaults());
    private static final HogPersonDetector DETECTOR = new HogPersonDetector(HogSettings.defaults());

    @TempDir
    Path temp;

    @Test
    void tracksPeopleWithoutClipCheckpoint() {
        ActionDetectionPipeline pipeline = new ActionDetectionPipeline(DECODER, DETECTOR, TrackerSettings.defaults(),
                new ClipCheckpointActionScorer(temp.resolve("no-clip-here")));
        List<Double> progress = new ArrayList<>();

        ActionDetectionResult result = pipeline.run(SampleVideos.avaClip(),
                new ActionDetectionRequest(2, List.of("arm wrestling"), 4, Set.of()), progress::add);

        assertThat(result.sampledFrames()).isEqualTo(19);
        assertThat(result.detections()).hasSize(19);
        assertThat(result.tubes()).isNotEmpty();
        for (PersonTube tube : result.tubes()) {
            assertThat(tube.detectedCount()).isGreaterThanOrEqualTo(TrackerSettings.DEFAULT_MIN_DETECTIONS);
            for (int i = 1; i < tube.boxes().size(); i++) {
                assertThat(tube.boxes().get(i).frameIndex()).isGreaterThan(tube.boxes().get(i - 1).frameIndex());
            }
        }
        assertThat(result.actionsByTrack()).isEmpty();
        assertThat(result.capabilities().actionScoring().active()).isFalse();
        assertThat(result.capabilities().actionScoring().detail()).contains("no-clip-here");
        // Preview targets 0, 2.375, 4.75 and 7.125 s of 9.5 s; the first samples at or after them are 0, 2.5, 5 and 7.5 s.
        assertThat(result.previewFrames()).extracting(VideoFrame::frameIndex).containsExactly(0, 15, 30, 45);
        assertThat(progress).last().isEqualTo(1.0);
    }

    @Test
    void attachesScoresWhenScorerIsActive() {
        List<Integer> framesSeen = new ArrayList<>();
        ActionScorer lengthScorer = new ActionScorer() {
            @Override
            public Capability capability() {
                return new Capability(true, "tube length", "test scorer");
            }

            @Override
            public List<ActionScore> score(PersonTube tube, List<VideoFrame> frames, List<String> labels) {
                framesSeen.add(frames.size());
                return labels.stream().map(label -> new ActionScore(label, tube.boxes().size())).toList();
            }
        };
        ActionDetectionPipeline pipeline = new ActionDetectionPipeline(DECODER, DETECTOR, TrackerSettings.defaults(),
                lengthScorer);

        ActionDetectionResult result = pipeline.run(SampleVideos.avaClip(),
                new ActionDetectionRequest(2, List.of("arm wrestling", "drinking"), 1, Set.of()), fraction -> { });

        assertThat(result.actionsByTrack()).hasSize(result.tubes().size());
        assertThat(framesSeen).isNotEmpty().allSatisfy(count -> assertThat(count).isEqualTo(19));
        PersonTube first = result.tubes().get(0);
        assertThat(result.actionsByTrack().get(first.trackId())).extracting(ActionScore::label)
                .containsExactly("arm wrestling", "drinking");
    }

    @Test
    void rendersPreviewWithOneTilePerFrame() {
        ActionDetectionPipeline pipeline = new ActionDetectionPipeline(DECODER, DETECTOR, TrackerSettings.defaults(),
                new ClipCheckpointActionScorer(temp));
        ActionDetectionResult result = pipeline.run(SampleVideos.avaClip(),
                new ActionDetectionRequest(2, List.of(), 1, Set.of(6, 12, 18, 24)), fraction -> { });

        BufferedImage preview = new PreviewRenderer(170).render(result.previewFrames(), result.tubes(), Map.of(),
                Map.of());

        // Three columns of 170x128 tiles plus a 16-pixel caption row, two rows for four frames.
        assertThat(result.previewFrames()).extracting(VideoFrame::frameIndex).containsExactly(6, 12, 18, 24);
        assertThat(preview.getWidth()).isEqualTo(3 * 170);
        assertThat(preview.getHeight()).isEqualTo(2 * (128 + 16));
        assertThat(PreviewRenderer.toPng(preview)).startsWith(0x89, 'P', 'N', 'G');
    }
}
