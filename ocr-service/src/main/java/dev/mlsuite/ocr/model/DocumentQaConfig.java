package dev.mlsuite.ocr.model;

import dev.mlsuite.inference.io.HfConfig;
import dev.mlsuite.inference.llama.LlamaConfig;
import dev.mlsuite.inference.llama.RopeStyle;
import dev.mlsuite.inference.vit.SimilarityTokenFilter;
import dev.mlsuite.inference.vit.VitConfig;
import dev.mlsuite.inference.vit.WindowGrid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Architecture of the OCR-free document QA model, stored as {@code config.json} beside the weights.
 *
 * @param imageWidth width in pixels the page is resized to
 * @param imageHeight height in pixels the page is resized to
 * @param windowSize side of one square window in pixels; the ViT runs once per window
 * @param vision the per-window ViT; its {@code imageSize} equals {@code windowSize}
 * @param shiftedWindowLayers shifted-window attention blocks after the ViT
 * @param keptTokens image tokens the similarity filter keeps as resampler queries
 * @param filterScore how the filter scores redundancy
 * @param decoder the LLaMA-style answer decoder
 * @param maxQuestionChars longest question in characters the model reads
 * @param maxAnswerChars longest answer in characters the model writes
 */
public record DocumentQaConfig(int imageWidth, int imageHeight, int windowSize, VitConfig vision,
        int shiftedWindowLayers, int keptTokens, SimilarityTokenFilter.Score filterScore, LlamaConfig decoder,
        int maxQuestionChars, int maxAnswerChars) {

    public DocumentQaConfig {
        if (imageWidth % windowSize != 0 || imageHeight % windowSize != 0) {
            throw new IllegalArgumentException("image size " + imageWidth + "x" + imageHeight
                    + " is not a multiple of the window size " + windowSize);
        }
        if (vision.imageSize() != windowSize) {
            throw new IllegalArgumentException("vision image_size " + vision.imageSize()
                    + " must equal window_size " + windowSize);
        }
        int imageTokens = (imageWidth / windowSize) * (imageHeight / windowSize) * vision.numPatches();
        if (keptTokens <= 0 || keptTokens > imageTokens) {
            throw new IllegalArgumentException("kept_tokens must be between 1 and " + imageTokens + ", got "
                    + keptTokens);
        }
        int longestSequence = keptTokens + maxQuestionChars + maxAnswerChars + 3;
        if (longestSequence > decoder.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("kept_tokens + max_question_chars + max_answer_chars + 3 = "
                    + longestSequence + " exceeds the decoder's max_position_embeddings "
                    + decoder.maxPositionEmbeddings());
        }
    }

    /** The small default architecture trained by {@code OcrTrainingCommand}. */
    public static DocumentQaConfig small() {
        VitConfig vision = new VitConfig(64, 128, 2, 4, 1, 64, 8, VitConfig.DEFAULT_LAYER_NORM_EPS);
        LlamaConfig decoder = new LlamaConfig(64, 192, 2, 4, 4, CharVocabulary.SIZE, 176, 1e-5f, 10000f,
                RopeStyle.HALF, true);
        return new DocumentQaConfig(192, 384, 64, vision, 1, 32, SimilarityTokenFilter.Score.MAX, decoder, 40, 100);
    }

    public WindowGrid windowGrid() {
        return new WindowGrid(imageHeight / windowSize, imageWidth / windowSize, vision.patchesPerSide());
    }

    /** Image tokens before filtering. */
    public int imageTokens() {
        return windowGrid().windows() * vision.numPatches();
    }

    /** Returns a copy that keeps {@code tokens} image tokens. */
    public DocumentQaConfig withKeptTokens(int tokens) {
        return new DocumentQaConfig(imageWidth, imageHeight, windowSize, vision, shiftedWindowLayers, tokens,
                filterScore, decoder, maxQuestionChars, maxAnswerChars);
    }

    /** Reads {@code config.json} from {@code directory}. */
    public static DocumentQaConfig read(Path directory) throws IOException {
        HfConfig json = HfConfig.read(directory.resolve(HfConfig.FILE_NAME));
        VitConfig vision = new VitConfig(json.requireInt("vision_hidden_size"),
                json.requireInt("vision_intermediate_size"), json.requireInt("vision_num_hidden_layers"),
                json.requireInt("vision_num_attention_heads"), json.requireInt("num_channels"),
                json.requireInt("window_size"), json.requireInt("patch_size"),
                (float) json.doubleOr("layer_norm_eps", VitConfig.DEFAULT_LAYER_NORM_EPS));
        LlamaConfig decoder = new LlamaConfig(json.requireInt("text_hidden_size"),
                json.requireInt("text_intermediate_size"), json.requireInt("text_num_hidden_layers"),
                json.requireInt("text_num_attention_heads"), json.requireInt("text_num_key_value_heads"),
                json.requireInt("vocab_size"), json.requireInt("max_position_embeddings"),
                (float) json.doubleOr("rms_norm_eps", 1e-5), (float) json.doubleOr("rope_theta", 10000),
                RopeStyle.HALF, true);
        SimilarityTokenFilter.Score score = SimilarityTokenFilter.Score.valueOf(
                json.stringOr("filter_score", "max").toUpperCase(Locale.ROOT));
        return new DocumentQaConfig(json.requireInt("image_width"), json.requireInt("image_height"),
                json.requireInt("window_size"), vision, json.requireInt("shifted_window_layers"),
                json.requireInt("kept_tokens"), score, decoder, json.requireInt("max_question_chars"),
                json.requireInt("max_answer_chars"));
    }

    /** Writes {@code config.json} into {@code directory}. */
    public void write(Path directory) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model_type", "textmonkey-mini");
        json.put("image_width", imageWidth);
        json.put("image_height", imageHeight);
        json.put("window_size", windowSize);
        json.put("patch_size", vision.patchSize());
        json.put("num_channels", vision.numChannels());
        json.put("vision_hidden_size", vision.hiddenSize());
        json.put("vision_intermediate_size", vision.intermediateSize());
        json.put("vision_num_hidden_layers", vision.numHiddenLayers());
        json.put("vision_num_attention_heads", vision.numAttentionHeads());
        json.put("layer_norm_eps", vision.layerNormEps());
        json.put("shifted_window_layers", shiftedWindowLayers);
        json.put("kept_tokens", keptTokens);
        json.put("filter_score", filterScore.name().toLowerCase(Locale.ROOT));
        json.put("text_hidden_size", decoder.hiddenSize());
        json.put("text_intermediate_size", decoder.intermediateSize());
        json.put("text_num_hidden_layers", decoder.numHiddenLayers());
        json.put("text_num_attention_heads", decoder.numAttentionHeads());
        json.put("text_num_key_value_heads", decoder.numKeyValueHeads());
        json.put("vocab_size", decoder.vocabSize());
        json.put("max_position_embeddings", decoder.maxPositionEmbeddings());
        json.put("rms_norm_eps", decoder.rmsNormEps());
        json.put("rope_theta", decoder.ropeTheta());
        json.put("tie_word_embeddings", true);
        json.put("max_question_chars", maxQuestionChars);
        json.put("max_answer_chars", maxAnswerChars);
        String text = JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(json);
        Files.writeString(directory.resolve(HfConfig.FILE_NAME), text + "\n", StandardCharsets.UTF_8);
    }
}
