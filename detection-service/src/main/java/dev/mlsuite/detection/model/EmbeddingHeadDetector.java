package dev.mlsuite.detection.model;

import java.util.ArrayList;
import java.util.List;

import dev.mlsuite.detection.preprocessing.TextPreprocessor;
import dev.mlsuite.inference.bert.Pooling;

/**
 * The default detector: a frozen sentence encoder (all-MiniLM-L6-v2) turns each preprocessed text
 * into one embedding, and a small trained head with Platt calibration turns that into a probability.
 *
 * <p>Long texts: each token window gets the encoder's mean-pooled, L2-normalised embedding, as
 * sentence-transformers computes it, and the document embedding is the unweighted mean of its
 * window embeddings. The head receives only that mean, in training and in service alike.
 */
public final class EmbeddingHeadDetector implements TextDetector {

    private final DetectionModelMetadata metadata;
    private final ClassificationHead head;
    private final PlattCalibration calibration;
    private final TextPreprocessor preprocessor;
    private final WindowEncoder encoder;

    public EmbeddingHeadDetector(DetectionModelMetadata metadata, ClassificationHead head, WindowEncoder encoder) {
        this(metadata, head, metadata.calibration(), encoder);
    }

    /**
     * Creates a detector that applies {@code calibration} in place of the one in {@code metadata},
     * for example one refitted for the encoder's token reduction.
     */
    public EmbeddingHeadDetector(DetectionModelMetadata metadata, ClassificationHead head,
            PlattCalibration calibration, WindowEncoder encoder) {
        this.metadata = metadata;
        this.head = head;
        this.calibration = calibration;
        this.encoder = encoder;
        this.preprocessor = new TextPreprocessor(metadata.preprocessing());
        int hidden = encoder.encoder().config().hiddenSize();
        if (hidden != head.inputSize()) {
            throw new IllegalArgumentException("head expects embeddings of " + head.inputSize()
                    + " values but the encoder returns " + hidden);
        }
    }

    public DetectionModelMetadata metadata() {
        return metadata;
    }

    public ClassificationHead head() {
        return head;
    }

    /** Platt calibration applied to the head's logit. */
    public PlattCalibration calibration() {
        return calibration;
    }

    @Override
    public ModelIdentity identity() {
        return new ModelIdentity(metadata.name(), metadata.version());
    }

    @Override
    public double defaultThreshold() {
        return metadata.threshold();
    }

    @Override
    public long parameterCount() {
        return encoder.encoder().parameterCount() + head.hiddenWeight().length
                + head.hiddenBias().length + head.outputWeight().length + head.outputBias().length;
    }

    @Override
    public double[] probabilities(List<String> texts) {
        List<float[]> embeddings = embed(preprocess(texts));
        double[] probabilities = new double[embeddings.size()];
        for (int i = 0; i < probabilities.length; i++) {
            probabilities[i] = calibration.probability(head.logit(embeddings.get(i)));
        }
        return probabilities;
    }

    private List<String> preprocess(List<String> texts) {
        List<String> preprocessed = new ArrayList<>(texts.size());
        for (String text : texts) {
            preprocessed.add(preprocessor.apply(text));
        }
        return preprocessed;
    }

    /** Returns one document embedding per text: the mean of its window embeddings. Texts are not preprocessed here. */
    public List<float[]> embed(List<String> texts) {
        return meanOfWindows(encoder.encode(texts, Pooling.MEAN, true));
    }

    /** Averages the window vectors of each text. */
    public static List<float[]> meanOfWindows(List<float[][]> windowVectors) {
        List<float[]> means = new ArrayList<>(windowVectors.size());
        for (float[][] windows : windowVectors) {
            float[] mean = new float[windows[0].length];
            for (float[] window : windows) {
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += window[d] / windows.length;
                }
            }
            means.add(mean);
        }
        return means;
    }

    @Override
    public void close() {
        preprocessor.close();
        encoder.close();
    }
}
