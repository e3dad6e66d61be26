package dev.mlsuite.inference.llama;

import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.api.ModelDefinition;
import dev.mlsuite.inference.api.ModelFactory;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.generation.TextTokenizer;
import dev.mlsuite.inference.io.HfConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds LLaMA models of type {@code llama} from a llama2.c model file, a folder with one, or a
 * Hugging Face folder ({@code config.json} + safetensors).
 *
 * <p>Tokenizer: a Hugging Face folder uses its {@code tokenizer.json}. Otherwise, or when option
 * {@code tokenizer} names a file, the factory reads a llama2.c vocabulary: the named file, else
 * {@code tok<vocab_size>.bin} (e.g. {@code tok512.bin}) or {@code tokenizer.bin} next to the model,
 * the names llama2.c uses.
 */
public final class LlamaModelFactory implements ModelFactory {

    public static final String TYPE = "llama";
    public static final String TOKENIZER_OPTION = "tokenizer";
    public static final String HF_TOKENIZER_FILE = "tokenizer.json";

    private static final int VERSION_DIGEST_HEX_CHARS = 12;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public InferenceModel create(ModelDefinition definition) throws IOException {
        Path path = definition.requirePath();
        String setting = "the path of model '" + definition.name() + "'";

        if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("config.json"))) {
            return createHuggingFace(definition, path, setting);
        }
        Path modelFile = Files.isDirectory(path) ? findLlama2cModelFile(path) : path;
        int vocabSize = readLlama2cVocabSize(modelFile);
        Path tokenizer = tokenizerFile(definition, modelFile.getParent(), vocabSize);
        LanguageModel language = Llama2cModelLoader.load(modelFile, tokenizer, definition.device(), setting);
        String version = stripExtension(modelFile) + "@" + sha256Prefix(modelFile);
        return new LlamaInferenceModel(definition.name(), version, definition.device(),
                parameterCountOf((LlamaModel) language.model()), language);
    }

    private static InferenceModel createHuggingFace(ModelDefinition definition, Path directory, String setting)
            throws IOException {
        LlamaModel model = HfLlamaLoader.load(directory, definition.device(), setting);
        try {
            TextTokenizer tokenizer;
            Path tokenizerJson = directory.resolve(HF_TOKENIZER_FILE);
            if (definition.option(TOKENIZER_OPTION).isEmpty() && Files.isRegularFile(tokenizerJson)) {
                HfConfig config = HfConfig.read(directory);
                tokenizer = HfLlamaTokenizer.load(tokenizerJson, model.vocabSize(), config.intOr("bos_token_id", 1),
                        config.intOr("eos_token_id", 2), setting);
            } else {
                Path vocabulary = tokenizerFile(definition, directory, model.vocabSize());
                tokenizer = Llama2cTokenizer.load(vocabulary, model.vocabSize(),
                        "option " + TOKENIZER_OPTION + " of model '" + definition.name() + "'");
            }
            LanguageModel language = new LanguageModel(model, tokenizer);
            return new LlamaInferenceModel(definition.name(), model.name(), definition.device(),
                    parameterCountOf(model), language);
        } catch (RuntimeException | IOException e) {
            model.close();
            throw e;
        }
    }

    private static Path findLlama2cModelFile(Path directory) throws IOException {
        List<Path> candidates;
        try (Stream<Path> files = Files.list(directory)) {
            candidates = files.filter(file -> file.getFileName().toString().endsWith(".bin"))
                    .filter(file -> !file.getFileName().toString().startsWith("tok"))
                    .sorted()
                    .toList();
        }
        if (candidates.size() != 1) {
            throw new IllegalArgumentException("Folder " + directory.toAbsolutePath() + " must contain exactly one"
                    + " llama2.c model file (*.bin other than tok*.bin) or a config.json, found " + candidates
                    + ". Point the model path at the model file instead.");
        }
        return candidates.get(0);
    }

    private static Path tokenizerFile(ModelDefinition definition, Path directory, int vocabSize) {
        String configured = definition.option(TOKENIZER_OPTION).orElse(null);
        if (configured != null) {
            Path file = Path.of(configured);
            return file.isAbsolute() || directory == null ? file : directory.resolve(file);
        }
        Path base = directory == null ? Path.of(".") : directory;
        Path sized = base.resolve("tok" + vocabSize + ".bin");
        return Files.isRegularFile(sized) ? sized : base.resolve("tokenizer.bin");
    }

    /** Reads {@code vocab_size} from the header of a llama2.c model file. */
    private static int readLlama2cVocabSize(Path modelFile) throws IOException {
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("Model file not found: " + modelFile.toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(modelFile)) {
            byte[] header = in.readNBytes(7 * Integer.BYTES);
            if (header.length < 7 * Integer.BYTES) {
                throw new IllegalArgumentException("Model file " + modelFile.toAbsolutePath()
                        + " is shorter than a llama2.c header");
            }
            return Math.abs(ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(5 * Integer.BYTES));
        }
    }

    private static long parameterCountOf(LlamaModel model) {
        LlamaConfig c = model.config();
        long hidden = c.hiddenSize();
        long keyValueDim = (long) c.numKeyValueHeads() * c.headDim();
        long perLayer = 2 * hidden + 2 * hidden * hidden + 2 * keyValueDim * hidden + 3 * hidden * c.intermediateSize();
        long embedding = c.vocabSize() * hidden;
        return embedding + c.numHiddenLayers() * perLayer + hidden + (c.tieWordEmbeddings() ? 0 : embedding);
    }

    private static String stripExtension(Path file) {
        return file.getFileName().toString().replaceFirst("\\.bin$", "");
    }

    private static String sha256Prefix(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            byte[] digest = ((DigestInputStream) in).getMessageDigest().digest();
            return HexFormat.of().formatHex(digest).substring(0, VERSION_DIGEST_HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
