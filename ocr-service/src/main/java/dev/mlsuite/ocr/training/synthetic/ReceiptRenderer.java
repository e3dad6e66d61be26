package dev.mlsuite.ocr.training.synthetic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Renders receipts, invoices and forms with Java2D from random but plausible field values, in
 * the style of the Malaysian shop receipts of the SROIE task (company names ending in "SDN BHD",
 * addresses with "JALAN", dates as dd/mm/yyyy), then applies scan effects: rotation, blur,
 * noise and uneven lighting.
 *
 * <p>The same seed always produces the same document.
 */
public final class ReceiptRenderer {

    private static final String[] NAME_PARTS = {"BOOK", "KEDAI", "RESTORAN", "SYARIKAT", "PERNIAGAAN", "GARDENIA",
            "MR D.I.Y.", "UNIHAKKA", "AEON", "SANYU", "TAN", "LIM", "WONG", "CHOP", "HUA", "SIN", "MAJU", "JAYA",
            "BARU", "SENTOSA", "INDAH", "STATIONERY", "HARDWARE", "TRADING", "ENTERPRISE", "BAKERY", "FOOD",
            "MART", "PHARMACY", "ELECTRICAL", "AUTO", "PARTS", "TEXTILE", "BEAUTY", "OPTICAL"};
    private static final String[] COMPANY_SUFFIXES = {"SDN BHD", "SDN. BHD.", "ENTERPRISE", "TRADING", "(M) SDN BHD"};
    private static final String[] STREETS = {"JALAN SAGU", "JALAN DAMAI", "JALAN MERANTI", "JALAN TEMBUSU",
            "JALAN PERMAS", "JALAN SETIA", "JALAN KUCHAI", "JALAN IMPIAN", "JALAN BAKAWALI", "JALAN PUTRA",
            "LORONG MAJU", "PERSIARAN RIMBA"};
    private static final String[] AREAS = {"TAMAN DAYA", "TAMAN UNIVERSITI", "TAMAN MOLEK", "BANDAR BARU",
            "TAMAN PELANGI", "SRI PETALING", "TAMAN SENTOSA", "BANDAR PUTERI", "TAMAN JOHOR JAYA"};
    private static final String[][] CITIES = {{"81100", "JOHOR BAHRU", "JOHOR"}, {"50000", "KUALA LUMPUR", "W.P."},
            {"47500", "SUBANG JAYA", "SELANGOR"}, {"81300", "SKUDAI", "JOHOR"}, {"40150", "SHAH ALAM", "SELANGOR"},
            {"10200", "GEORGETOWN", "PULAU PINANG"}, {"30000", "IPOH", "PERAK"}, {"80300", "JOHOR BAHRU", "JOHOR"}};
    private static final String[] ITEMS = {"PENCIL 2B", "A4 PAPER", "MINERAL WATER", "NASI LEMAK", "TEH TARIK",
            "BREAD WHITE", "SCREW 10MM", "BATTERY AA", "NOTEBOOK", "GLUE STICK", "KOPI O", "MEE GORENG",
            "TISSUE BOX", "CABLE TIE", "PAINT BRUSH", "RICE 5KG", "SUGAR 1KG", "EGG GRADE A", "SOAP BAR"};
    private static final String[] FONT_FAMILIES = {Font.MONOSPACED, Font.SANS_SERIF, "DejaVu Sans Mono",
            "DejaVu Sans", "Liberation Mono", "Liberation Sans"};

    /** Document layouts the renderer draws. */
    public enum Layout { RECEIPT, INVOICE, FORM }

    private final int width;
    private final int height;

    /** Creates a renderer for pages of {@code width x height} pixels before scan effects. */
    public ReceiptRenderer(int width, int height) {
        if (width < 200 || height < 200) {
            throw new IllegalArgumentException("Page size must be at least 200x200 pixels, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
    }

    /** Renders the document of {@code seed}; the layout is drawn from the seed too. */
    public SyntheticDocument render(long seed) {
        Random random = new Random(seed);
        Layout layout = Layout.values()[random.nextInt(Layout.values().length)];
        Map<String, String> fields = randomFields(random);
        BufferedImage page = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Map<String, Rectangle> boxes = new LinkedHashMap<>();

        Graphics2D graphics = page.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int paper = 235 + random.nextInt(21);
            graphics.setColor(new Color(paper, paper, Math.max(200, paper - random.nextInt(15))));
            graphics.fillRect(0, 0, width, height);
            drawLayout(graphics, layout, fields, boxes, random);
        } finally {
            graphics.dispose();
        }

        BufferedImage scanned = applyScanEffects(page, random);
        return new SyntheticDocument(scanned, fields, boxes);
    }

    static Map<String, String> randomFields(Random random) {
        Map<String, String> fields = new LinkedHashMap<>();
        String name = pick(NAME_PARTS, random) + (random.nextBoolean() ? " " + pick(NAME_PARTS, random) : "");
        fields.put("company", name + " " + pick(COMPANY_SUFFIXES, random));
        fields.put("date", String.format(Locale.ROOT, "%02d/%02d/%04d", 1 + random.nextInt(28), 1 + random.nextInt(12),
                2015 + random.nextInt(5)));
        String[] city = CITIES[random.nextInt(CITIES.length)];
        fields.put("address", String.format(Locale.ROOT, "NO.%d, %s %d, %s, %s %s, %s.", 1 + random.nextInt(120),
                pick(STREETS, random), 1 + random.nextInt(30), pick(AREAS, random), city[0], city[1], city[2]));
        return fields;
    }

    private void drawLayout(Graphics2D graphics, Layout layout, Map<String, String> fields,
            Map<String, Rectangle> boxes, Random random) {
        Font font = new Font(pick(FONT_FAMILIES, random), random.nextInt(4) == 0 ? Font.BOLD : Font.PLAIN,
                Math.max(11, width / 28 + random.nextInt(4) - 2));
        graphics.setFont(font);
        int ink = random.nextInt(60);
        graphics.setColor(new Color(ink, ink, ink + random.nextInt(20)));
        FontMetrics metrics = graphics.getFontMetrics();
        int lineHeight = metrics.getHeight();
        int margin = width / 14;
        int y = margin + metrics.getAscent();

        boolean centred = layout == Layout.RECEIPT;
        y = drawField(graphics, fields.get("company"), "company", boxes, centred, margin, y, lineHeight);
        if (layout == Layout.INVOICE) {
            y = drawLine(graphics, "TAX INVOICE", centred, margin, y, lineHeight);
        }
        y = drawWrapped(graphics, fields.get("address"), "address", boxes, centred, margin, y, lineHeight);
        y = drawLine(graphics, "GST REG NO: " + (100000 + random.nextInt(899999)), centred, margin, y, lineHeight);
        y += lineHeight / 2;

        String dateLabel = layout == Layout.FORM ? "DATE OF ISSUE: " : "DATE: ";
        String dateLine = dateLabel + fields.get("date") + "  " + String.format(Locale.ROOT, "%02d:%02d",
                random.nextInt(24), random.nextInt(60));
        Rectangle dateLineBox = textBox(graphics, dateLine, false, margin, y);
        int dateStart = margin + graphics.getFontMetrics().stringWidth(dateLabel);
        boxes.put("date", new Rectangle(dateStart, dateLineBox.y,
                graphics.getFontMetrics().stringWidth(fields.get("date")), dateLineBox.height));
        graphics.drawString(dateLine, margin, y);
        y += lineHeight;

        graphics.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f},
                0f));
        graphics.drawLine(margin, y - lineHeight / 2, width - margin, y - lineHeight / 2);
        y += lineHeight / 2;

        double total = 0;
        int itemCount = 1 + random.nextInt(6);
        for (int i = 0; i < itemCount && y < height - 5 * lineHeight; i++) {
            int quantity = 1 + random.nextInt(4);
            double price = (5 + random.nextInt(4000)) / 100.0;
            total += quantity * price;
            String left = quantity + " x " + pick(ITEMS, random);
            String right = String.format(Locale.ROOT, "%.2f", quantity * price);
            graphics.drawString(left, margin, y);
            graphics.drawString(right, width - margin - graphics.getFontMetrics().stringWidth(right), y);
            y += lineHeight;
        }
        fields.put("total", String.format(Locale.ROOT, "%.2f", total));

        y += lineHeight / 2;
        String totalLabel = pick(new String[] {"TOTAL", "TOTAL (RM)", "GRAND TOTAL", "TOTAL RM", "NET TOTAL"}, random);
        graphics.drawString(totalLabel, margin, y);
        String totalText = fields.get("total");
        int totalX = width - margin - graphics.getFontMetrics().stringWidth(totalText);
        graphics.drawString(totalText, totalX, y);
        boxes.put("total", textBox(graphics, totalText, false, totalX, y));
        y += lineHeight * 2;
        drawLine(graphics, "THANK YOU. PLEASE COME AGAIN", centred, margin, Math.min(y, height - lineHeight), lineHeight);
    }

    private int drawField(Graphics2D graphics, String text, String field, Map<String, Rectangle> boxes,
            boolean centred, int margin, int y, int lineHeight) {
        Rectangle box = textBox(graphics, text, centred, margin, y);
        boxes.put(field, box);
        graphics.drawString(text, box.x, y);
        return y + lineHeight;
    }

    private int drawWrapped(Graphics2D graphics, String text, String field, Map<String, Rectangle> boxes,
            boolean centred, int margin, int y, int lineHeight) {
        int maxWidth = width - 2 * margin;
        List<String> lines = wrap(text, graphics.getFontMetrics(), maxWidth);
        Rectangle union = null;
        for (String line : lines) {
            Rectangle box = textBox(graphics, line, centred, margin, y);
            union = union == null ? box : union.union(box);
            graphics.drawString(line, box.x, y);
            y += lineHeight;
        }
        boxes.put(field, union);
        return y;
    }

    private int drawLine(Graphics2D graphics, String text, boolean centred, int margin, int y, int lineHeight) {
        Rectangle box = textBox(graphics, text, centred, margin, y);
        graphics.drawString(text, box.x, y);
        return y + lineHeight;
    }

    private Rectangle textBox(Graphics2D graphics, String text, boolean centred, int margin, int baseline) {
        FontMetrics metrics = graphics.getFontMetrics();
        int textWidth = metrics.stringWidth(text);
        int x = centred ? Math.max(margin / 2, (width - textWidth) / 2) : margin;
        return new Rectangle(x, baseline - metrics.getAscent(), textWidth, metrics.getAscent() + metrics.getDescent());
    }

    private static List<String> wrap(String text, FontMetrics metrics, int maxWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (metrics.stringWidth(candidate) > maxWidth && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static BufferedImage applyScanEffects(BufferedImage page, Random random) {
        BufferedImage rotated = new BufferedImage(page.getWidth(), page.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = rotated.createGraphics();
        try {
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, page.getWidth(), page.getHeight());
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            double angle = Math.toRadians((random.nextDouble() - 0.5) * 3.0);
            graphics.drawImage(page, AffineTransform.getRotateInstance(angle, page.getWidth() / 2.0,
                    page.getHeight() / 2.0), null);
        } finally {
            graphics.dispose();
        }

        BufferedImage blurred = rotated;
        if (random.nextInt(3) == 0) {
            float[] kernel = new float[9];
            java.util.Arrays.fill(kernel, 1f / 9f);
            blurred = new ConvolveOp(new Kernel(3, 3, kernel), ConvolveOp.EDGE_NO_OP, null).filter(rotated, null);
        }

        double noise = random.nextDouble() * 12;
        double lightingSlope = (random.nextDouble() - 0.5) * 40 / page.getHeight();
        for (int y = 0; y < blurred.getHeight(); y++) {
            double shade = lightingSlope * (y - blurred.getHeight() / 2.0);
            for (int x = 0; x < blurred.getWidth(); x++) {
                int rgb = blurred.getRGB(x, y);
                double offset = shade + random.nextGaussian() * noise;
                int r = clamp(((rgb >> 16) & 0xff) + offset);
                int g = clamp(((rgb >> 8) & 0xff) + offset);
                int b = clamp((rgb & 0xff) + offset);
                blurred.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return blurred;
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }
}
