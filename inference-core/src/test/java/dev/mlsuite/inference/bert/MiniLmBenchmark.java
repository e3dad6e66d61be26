package dev.mlsuite.inference.bert;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.mlsuite.inference.tokenizer.TokenBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures all-MiniLM-L6-v2 sentence embeddings per second at batch sizes 1, 8 and 32, this
 * project's NDArray encoder against ONNX Runtime on the same ONNX file, in one JVM.
 *
 * <p>Both sides get the same pre-tokenized batches and return mean-pooled embeddings as
 * {@code float[]}, so tokenization is not timed. Each measurement runs whole batches for at least
 * {@code secondsPerRun} seconds; the rounds alternate between the two runtimes and the median
 * round is reported, which damps the effect of other processes on a shared machine.
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -B -q -o -pl inference-core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.mlsuite.inference.bert.MiniLmBenchmark -Dexec.args="5 3 2"
 * </pre>
 * Arguments: seconds per run (default 5), rounds (default 3), and intra-op threads for both
 * runtimes (default 0, which keeps each runtime's own default).
 */
public final class MiniLmBenchmark {

    private static final int[] BATCH_SIZES = {1, 8, 32};
    private static final int HIDDEN = 384;
    /** Texts with fewer words than this count as sentences; the longer entries are whole documents. */
    private static final int MAX_SENTENCE_WORDS = 60;

    private MiniLmBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        double secondsPerRun = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        if (threads > 0) {
            // Read once when the PyTorch engine loads, which happens below.
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        PrintStream out = System.out;

        List<String> sentences = readSentences();
        Path onnxFile = Files.createTempFile("all-minilm-l6-v2", ".onnx");
        try (InputStream input = MiniLmBenchmark.class.getClassLoader()
                .getResourceAsStream(BertEncoder.MINILM_ONNX_RESOURCE)) {
            Files.copy(input, onnxFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        try (BertEncoder encoder = BertEncoder.loadAllMiniLmL6V2(Device.cpu());
                OnnxRuntimeEmbedder onnxRuntime = new OnnxRuntimeEmbedder(onnxFile, threads)) {
            out.printf("%d sentences, %.0f s per run, %d rounds, intra-op threads %s, %d available processors,"
                    + " load average %.2f%n", sentences.size(), secondsPerRun, rounds,
                    threads > 0 ? Integer.toString(threads) : "default", Runtime.getRuntime().availableProcessors(),
                    loadAverage());
            out.println();
            out.println("| batch | ours (sentences/s) | ONNX Runtime (sentences/s) | ours / ONNX Runtime |");
            out.println("| ---: | ---: | ---: | ---: |");
            for (int batchSize : BATCH_SIZES) {
                List<TokenBatch> batches = batches(encoder, sentences, batchSize);
                double[] ours = new double[rounds];
                double[] reference = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    ours[round] = sentencesPerSecond(batches, secondsPerRun,
                            batch -> encoder.embed(batch, Pooling.MEAN, false));
                    reference[round] = sentencesPerSecond(batches, secondsPerRun, onnxRuntime::embed);
                }
                double oursMedian = median(ours);
                double referenceMedian = median(reference);
                out.printf("| %d | %.1f | %.1f | %.2f |%n", batchSize, oursMedian, referenceMedian,
                        oursMedian / referenceMedian);
            }
            out.println();
            out.printf("load average after the runs %.2f%n", loadAverage());
        } finally {
            Files.deleteIfExists(onnxFile);
        }
    }

    private static List<String> readSentences() throws IOException {
        List<String> sentences = new ArrayList<>();
        try (InputStream input = MiniLmBenchmark.class.getResourceAsStream("parity-texts.json")) {
            JsonNode entries = JsonMapper.builder().build().readTree(input);
            for (JsonNode entry : entries) {
                String text = entry.get("text").stringValue();
                if (text.split("\\s+").length < MAX_SENTENCE_WORDS) {
                    sentences.add(text);
                }
            }
        }
        return sentences;
    }

    /** Splits the sentences, repeated as needed, into 32 batches of {@code batchSize}. */
    private static List<TokenBatch> batches(BertEncoder encoder, List<String> sentences, int batchSize) {
        List<TokenBatch> batches = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < 32; i++) {
            List<String> texts = new ArrayList<>();
            for (int j = 0; j < batchSize; j++) {
                texts.add(sentences.get(next++ % sentences.size()));
            }
            batches.add(encoder.tokenizer().encodeBatch(texts));
        }
        return batches;
    }

    private static double sentencesPerSecond(List<TokenBatch> batches, double seconds, Embedder embedder)
            throws TranslateException {
        for (int i = 0; i < 3; i++) {
            embedder.embed(batches.get(i));
        }
        long sentences = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int index = 0;
        while (System.nanoTime() < deadline) {
            TokenBatch batch = batches.get(index++ % batches.size());
            embedder.embed(batch);
            sentences += batch.batchSize();
        }
        return sentences / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    @FunctionalInterface
    private interface Embedder {
        float[][] embed(TokenBatch batch) throws TranslateException;
    }

    /** ONNX Runtime through DJL's OnnxRuntime engine, with mean pooling in plain Java. */
    private static final class OnnxRuntimeEmbedder implements AutoCloseable {

        private final Model model;
        private final Predictor<NDList, NDList> predictor;

        OnnxRuntimeEmbedder(Path onnxFile, int threads) throws IOException, MalformedModelException {
            model = Model.newInstance("all-minilm-l6-v2", Device.cpu(), "OnnxRuntime");
            if (threads > 0) {
                model.load(onnxFile, null, java.util.Map.of(
                        "intraOpNumThreads", Integer.toString(threads), "interOpNumThreads", "1"));
            } else {
                model.load(onnxFile);
            }
            predictor = model.newPredictor(new NoopTranslator());
        }

        float[][] embed(TokenBatch batch) throws TranslateException {
            float[] hidden;
            try (NDManager manager = model.getNDManager().newSubManager()) {
                Shape shape = new Shape(batch.batchSize(), batch.sequenceLength());
                NDArray inputIds = manager.create(batch.inputIds(), shape);
                inputIds.setName("input_ids");
                NDArray attentionMask = manager.create(batch.attentionMask(), shape);
                attentionMask.setName("attention_mask");
                NDArray tokenTypeIds = manager.create(batch.tokenTypeIds(), shape);
                tokenTypeIds.setName("token_type_ids");
                try (NDList output = predictor.predict(new NDList(inputIds, attentionMask, tokenTypeIds))) {
                    hidden = output.get(0).toFloatArray(); // [batch, tokens, hidden]
                }
            }

            float[][] pooled = new float[batch.batchSize()][HIDDEN];
            for (int row = 0; row < batch.batchSize(); row++) {
                int tokens = batch.tokenCount(row);
                for (int token = 0; token < tokens; token++) {
                    int offset = (row * batch.sequenceLength() + token) * HIDDEN;
                    for (int i = 0; i < HIDDEN; i++) {
                        pooled[row][i] += hidden[offset + i] / tokens;
                    }
                }
            }
            return pooled;
        }

        @Override
        public void close() {
            predictor.close();
            model.close();
        }
    }
}
