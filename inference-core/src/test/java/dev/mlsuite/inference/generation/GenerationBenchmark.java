package dev.mlsuite.inference.generation;

import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.llama.Llama2cModelLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures generation throughput of a llama2.c model: tokens per second for a number of concurrent
 * streams, once as one batched decode step for all streams and once as one thread per stream.
 *
 * <p>Arguments: model folder (with {@code stories260K.bin} and {@code tok512.bin}), tokens per
 * stream, comma-separated stream counts, PyTorch intra-op threads, repetitions. Batched decoding runs on
 * one worker thread, the other mode on one thread per stream. Prints a Markdown
 * table; each cell is the median over the repetitions. Intra-op threads 0 keeps PyTorch's defaults.
 */
public final class GenerationBenchmark {

    private GenerationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path modelFolder = Path.of(args.length > 0 ? args[0] : "models/stories260K");
        int tokensPerStream = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int[] streamCounts = Arrays.stream((args.length > 2 ? args[2] : "1,8,32").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int intraOpThreads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int repetitions = args.length > 4 ? Integer.parseInt(args[4]) : 3;

        EngineSettings settings = EngineSettings.defaults().withDevice(DeviceSetting.CPU);
        if (intraOpThreads > 0) {
            settings = settings.withThreads(intraOpThreads, 1);
        }
        InferenceEngine engine = InferenceEngine.start(settings);
        try (LanguageModel language = Llama2cModelLoader.loadFolder(modelFolder, engine, "model folder argument")) {
            Generator generator = new Generator(language);
            // Services run inference on worker threads, never on the thread that started the engine, and
            // PyTorch's OpenMP threads behave differently on that first thread; so every mode runs on workers.
            ExecutorService batchThread = Executors.newSingleThreadExecutor();
            batchThread.submit(() -> batched(generator, 4, 32)).get();
            threaded(generator, 2, 32);

            System.out.printf(Locale.ROOT, "| streams | batched decode, tokens/s | thread per stream, tokens/s |%n");
            System.out.printf(Locale.ROOT, "| ---: | ---: | ---: |%n");
            for (int streams : streamCounts) {
                double[] batchedRates = new double[repetitions];
                double[] threadedRates = new double[repetitions];
                for (int r = 0; r < repetitions; r++) {
                    batchedRates[r] = batchThread.submit(() -> batched(generator, streams, tokensPerStream)).get();
                    threadedRates[r] = threaded(generator, streams, tokensPerStream);
                }
                System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f |%n", streams, median(batchedRates),
                        median(threadedRates));
            }
            batchThread.shutdownNow();
        }
    }

    /** Prefills {@code streams} prompts together, decodes them in one batch per step, returns tokens/s. */
    private static double batched(Generator generator, int streams, int tokensPerStream) {
        List<Generator.PrefillRequest> requests = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            requests.add(new Generator.PrefillRequest(new int[] {1}, settings(tokensPerStream, s), Hooks.NONE,
                    TokenListener.NONE));
        }
        long start = System.nanoTime();
        List<SequenceState> states = generator.prefill(requests);
        try {
            while (states.stream().anyMatch(state -> !state.isFinished())) {
                generator.decode(states);
            }
            long generated = states.stream().mapToLong(SequenceState::generatedCount).sum();
            return generated / ((System.nanoTime() - start) / 1e9);
        } finally {
            states.forEach(SequenceState::close);
        }
    }

    /** Runs {@code streams} independent generations on as many threads, returns tokens/s over all. */
    private static double threaded(Generator generator, int streams, int tokensPerStream) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(streams);
        try {
            long start = System.nanoTime();
            List<Future<GenerationResult>> results = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                SamplingSettings settings = settings(tokensPerStream, s);
                results.add(executor.submit(() -> generator.generate("", settings, Hooks.NONE, TokenListener.NONE)));
            }
            long generated = 0;
            for (Future<GenerationResult> result : results) {
                generated += result.get().tokens().length;
            }
            return generated / ((System.nanoTime() - start) / 1e9);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Temperature 1 with a seed per stream, so streams differ; a stream may end early at end-of-sequence. */
    private static SamplingSettings settings(int maxTokens, int stream) {
        return SamplingSettings.builder().maxTokens(maxTokens).temperature(1f).seed(stream).build();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
