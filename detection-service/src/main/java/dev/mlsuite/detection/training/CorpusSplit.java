package dev.mlsuite.detection.training;

import java.util.List;

/**
 * Training and test documents of the corpus, plus the GPT-rewritten documents that are only evaluated.
 *
 * @param train human and AI documents the head and the calibration are fitted on
 * @param test human and AI documents held out for the reported metrics
 * @param gptRewritten human essays rewritten by GPT-4, never trained on
 */
public record CorpusSplit(List<CorpusDocument> train, List<CorpusDocument> test, List<CorpusDocument> gptRewritten) {

    public CorpusSplit {
        train = List.copyOf(train);
        test = List.copyOf(test);
        gptRewritten = List.copyOf(gptRewritten);
    }
}
