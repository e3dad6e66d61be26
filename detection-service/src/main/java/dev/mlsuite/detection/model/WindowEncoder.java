package dev.mlsuite.detection.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import ai.djl.Device;

import dev.mlsuite.inference.bert.BertEncoder;
import dev.mlsuite.inference.bert.BertLayerHook;
import dev.mlsuite.inference.bert.Pooling;
import dev.mlsuite.inference.tokenizer.TokenBatch;

/**
 * Runs a BERT encoder over every token window of every text and returns one pooled vector per
 * window. Windows of similar length are batched together so that little compute goes to padding.
 */
public final class WindowEncoder implements AutoCloseable {

    /** Windows per encoder call; bounds the size of the activations of one forward pass. */
    public static final int WINDOWS_PER_BATCH = 16;

    private final BertEncoder encoder;
    private final TokenWindows windows;
    private final BertLayerHook layerHook;

    /**
     * Takes ownership of the encoder and the windows; {@link #close()} closes both.
     */
    public WindowEncoder(BertEncoder encoder, TokenWindows windows) {
        this(encoder, windows, BertLayerHook.NONE);
    }

    /**
     * Takes ownership of the encoder and the windows, and runs {@code layerHook} in every encoder
     * layer, such as a token-reduction hook; it must be safe for concurrent calls.
     */
    public WindowEncoder(BertEncoder encoder, TokenWindows windows, BertLayerHook layerHook) {
        if (windows.settings().windowTokens() > encoder.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("windowTokens " + windows.settings().windowTokens()
                    + " exceeds the encoder's max_position_embeddings " + encoder.config().maxPositionEmbeddings());
        }
        this.encoder = encoder;
        this.windows = windows;
        this.layerHook = layerHook;
    }

    /** Returns the device that runs the encoder. */
    public Device device() {
        return encoder.device();
    }

    public BertEncoder encoder() {
        return encoder;
    }

    public TokenWindows windows() {
        return windows;
    }

    /**
     * Returns, per text, one vector per window: {@code result.get(text)[window][hidden]}.
     *
     * @param pooling how token states become one vector per window
     * @param normalize whether each window vector is scaled to unit L2 norm
     */
    public List<float[][]> encode(List<String> texts, Pooling pooling, boolean normalize) {
        return encode(texts, pooling, normalize, layerHook);
    }

    /**
     * Returns, per text, one vector per window, running {@code hook} in place of the encoder's own
     * layer hook, for example to compare token reduction settings on one loaded encoder.
     */
    public List<float[][]> encode(List<String> texts, Pooling pooling, boolean normalize, BertLayerHook hook) {
        List<long[]> allWindows = new ArrayList<>();
        int[] firstWindow = new int[texts.size() + 1];
        for (int text = 0; text < texts.size(); text++) {
            firstWindow[text] = allWindows.size();
            allWindows.addAll(windows.windows(texts.get(text)));
        }
        firstWindow[texts.size()] = allWindows.size();

        float[][] vectors = new float[allWindows.size()][];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < allWindows.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> allWindows.get(i).length));
        for (int start = 0; start < order.size(); start += WINDOWS_PER_BATCH) {
            List<Integer> batchIndices = order.subList(start, Math.min(order.size(), start + WINDOWS_PER_BATCH));
            long[][] rows = batchIndices.stream().map(allWindows::get).toArray(long[][]::new);
            float[][] pooled = encodeBatch(rows, pooling, normalize, hook);
            for (int k = 0; k < batchIndices.size(); k++) {
                vectors[batchIndices.get(k)] = pooled[k];
            }
        }

        List<float[][]> result = new ArrayList<>(texts.size());
        for (int text = 0; text < texts.size(); text++) {
            result.add(java.util.Arrays.copyOfRange(vectors, firstWindow[text], firstWindow[text + 1]));
        }
        return result;
    }

    private float[][] encodeBatch(long[][] rows, Pooling pooling, boolean normalize, BertLayerHook hook) {
        return encoder.embed(TokenBatch.pad(rows, encoder.tokenizer().padId()), pooling, normalize, hook);
    }

    /** Closes the tokenizer windows and the encoder. */
    @Override
    public void close() {
        windows.close();
        encoder.close();
    }
}
