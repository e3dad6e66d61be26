package dev.mlsuite.ocr.training;

import dev.mlsuite.ocr.model.DocumentImages;
import dev.mlsuite.ocr.training.synthetic.ReceiptRenderer;
import dev.mlsuite.ocr.training.synthetic.SyntheticDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic pages from {@link ReceiptRenderer}. Training uses seeds from 0 upwards and evaluation
 * seeds from {@link #HELD_OUT_FIRST_SEED}, so the two sets never share a document.
 */
public final class SyntheticDocuments {

    public static final long HELD_OUT_FIRST_SEED = 1_000_000L;
    /** Page size the renderer draws before the page is resized to the model input. */
    public static final int PAGE_WIDTH = 384;
    public static final int PAGE_HEIGHT = 768;

    private SyntheticDocuments() {
    }

    /** Renders and preprocesses the document of {@code seed}. */
    public static LabelledDocument render(ReceiptRenderer renderer, long seed, int width, int height) {
        SyntheticDocument document = renderer.render(seed);
        return new LabelledDocument("synthetic-" + seed, DocumentImages.toPixels(document.image(), width, height),
                document.fields());
    }

    /** Renders {@code count} held-out documents. */
    public static List<LabelledDocument> heldOut(int count, int width, int height) {
        ReceiptRenderer renderer = new ReceiptRenderer(PAGE_WIDTH, PAGE_HEIGHT);
        List<LabelledDocument> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            documents.add(render(renderer, HELD_OUT_FIRST_SEED + i, width, height));
        }
        return documents;
    }
}
