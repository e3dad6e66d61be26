package dev.mlsuite.vision.action.stclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StClipHeadsTest {

    private static final float[][] IDENTITY = StClipHeadWeights.identity(2);

    /** All projections identity, output projections included, so both residual updates are non-zero. */
    private static final StClipHeads IDENTITY_HEADS = new StClipHeads(new StClipHeadWeights(2, IDENTITY, IDENTITY,
            IDENTITY, IDENTITY, IDENTITY, IDENTITY, IDENTITY, IDENTITY, true));

    @Test
    void personContextInteractionMatchesHandComputation() {
        // Person (1, 0) against context (1, 0) and (0, 1): logits 1/sqrt(2) and 0, so the weights are
        // e^(1/sqrt 2) / (e^(1/sqrt 2) + 1) = 0.669762 and 0.330238, and the person becomes
        // (1, 0) + 0.669762 (1, 0) + 0.330238 (0, 1).
        StClipHeads.Attended result = IDENTITY_HEADS.personContextInteraction(new float[][] {{1, 0}},
                new float[][] {{1, 0}, {0, 1}});

        assertThat(result.attention()[0][0]).isCloseTo(0.669762f, within(1e-5f));
        assertThat(result.attention()[0][1]).isCloseTo(0.330238f, within(1e-5f));
        assertThat(result.tokens()[0][0]).isCloseTo(1.669762f, within(1e-5f));
        assertThat(result.tokens()[0][1]).isCloseTo(0.330238f, within(1e-5f));
    }

    @Test
    void scoreMatchesHandComputation() {
        // Interest Token Spotting keeps context token 0, (1, 0). Context Prompting: the label (0, 1) attends
        // to (1, 0) and the updated person p = (1.669762, 0.330238) with logits 0 and 0.330238/sqrt(2),
        // weights 0.441885 and 0.558115, so it becomes (0, 1) + 0.441885 (1, 0) + 0.558115 p
        // = (1.373804, 1.184311). The score is cos(p, label) = 0.869700.
        double[] scores = IDENTITY_HEADS.score(new float[][] {{1, 0}}, new float[][] {{1, 0}, {0, 1}},
                new float[][] {{0, 1}}, 1);

        assertThat(scores).hasSize(1);
        assertThat(scores[0]).isCloseTo(0.869700, within(1e-5));
    }

    @Test
    void untrainedHeadsGivePlainCosine() {
        StClipHeads heads = new StClipHeads(StClipHeadWeights.untrained(3));
        float[][] persons = {{1, 2, 0}, {3, 0, 1}};
        float[][] context = {{0, 1, 0}, {2, 2, 2}, {-1, 0, 4}};
        float[][] labels = {{1, 1, 1}, {0, -1, 2}};

        double[] scores = heads.score(persons, context, labels, 2);

        float[] meanPerson = {2, 1, 0.5f};
        assertThat(scores[0]).isCloseTo(StClipHeads.cosine(meanPerson, labels[0]), within(1e-6));
        assertThat(scores[1]).isCloseTo(StClipHeads.cosine(meanPerson, labels[1]), within(1e-6));
    }

    @Test
    void interestTokensRankByMeanAttention() {
        float[][] attention = {{0.1f, 0.5f, 0.4f}, {0.3f, 0.1f, 0.6f}};

        assertThat(StClipHeads.interestTokens(attention, 2)).containsExactly(2, 1);
        assertThat(StClipHeads.interestTokens(attention, 10)).containsExactly(2, 1, 0);
    }
}
