package dev.mlsuite.ocr.api;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the document question answering endpoints ({@code ocr.*}).
 *
 * @param modelDirectory folder with {@code config.json} and {@code model.safetensors}
 * @param maxImageBytes largest accepted upload in bytes
 * @param maxPixels largest accepted page in pixels (width times height), checked from the image
 *     header or the PDF page size before any pixel is decoded
 * @param maxPdfPages most pages a PDF may have; the synchronous endpoint answers about page 1 only
 * @param pdfDpi resolution at which PDF pages are rendered, in dots per inch
 * @param maxQuestions most {@code question} fields in one request
 * @param maxQuestionLength longest accepted question in characters
 */
@ConfigurationProperties("ocr")
public record OcrProperties(
        @DefaultValue("models/ocr") Path modelDirectory,
        @DefaultValue("10485760") long maxImageBytes,
        @DefaultValue("40000000") long maxPixels,
        @DefaultValue("20") int maxPdfPages,
        @DefaultValue("150") int pdfDpi,
        @DefaultValue("8") int maxQuestions,
        @DefaultValue("40") int maxQuestionLength) {

    public OcrProperties {
        requirePositive("ocr.max-image-bytes", maxImageBytes);
        requirePositive("ocr.max-pixels", maxPixels);
        requirePositive("ocr.max-pdf-pages", maxPdfPages);
        requirePositive("ocr.pdf-dpi", pdfDpi);
        requirePositive("ocr.max-questions", maxQuestions);
        requirePositive("ocr.max-question-length", maxQuestionLength);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
