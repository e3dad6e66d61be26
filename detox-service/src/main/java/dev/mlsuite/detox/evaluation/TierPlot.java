package dev.mlsuite.detox.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws mean toxicity against perplexity, one point per tier and prompt group, as a PNG. */
final class TierPlot {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 480;
    private static final int MARGIN = 70;

    private TierPlot() {
    }

    static void write(List<TierMetrics> results, Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        double minX = results.stream().mapToDouble(TierMetrics::perplexity).min().orElse(0) * 0.95;
        double maxX = results.stream().mapToDouble(TierMetrics::perplexity).max().orElse(1) * 1.05;
        double maxY = Math.max(0.05, results.stream().mapToDouble(TierMetrics::meanToxicity).max().orElse(1) * 1.15);

        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN / 2, HEIGHT - MARGIN);
        g.drawLine(MARGIN, HEIGHT - MARGIN, MARGIN, MARGIN / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 4; i++) {
            double x = minX + (maxX - minX) * i / 4;
            double y = maxY * i / 4;
            g.drawString(String.format(Locale.ROOT, "%.1f", x), px(x, minX, maxX) - 12, HEIGHT - MARGIN + 18);
            g.drawString(String.format(Locale.ROOT, "%.2f", y), MARGIN - 40, py(y, maxY) + 4);
        }
        g.drawString("perplexity of the continuation under the unsteered model", WIDTH / 2 - 170, HEIGHT - 20);
        g.rotate(-Math.PI / 2);
        g.drawString("mean toxicity (scorer probability)", -HEIGHT / 2 - 100, 18);
        g.rotate(Math.PI / 2);

        for (String group : List.of("toxic-prefix", "neutral")) {
            Color color = group.equals("toxic-prefix") ? new Color(200, 40, 40) : new Color(40, 90, 200);
            g.setColor(color);
            int[] previous = null;
            for (TierMetrics metrics : results) {
                if (!metrics.promptGroup().equals(group)) {
                    continue;
                }
                int x = px(metrics.perplexity(), minX, maxX);
                int y = py(metrics.meanToxicity(), maxY);
                g.fillOval(x - 5, y - 5, 10, 10);
                g.drawString(metrics.tier(), x + 8, y - 6);
                if (previous != null) {
                    g.drawLine(previous[0], previous[1], x, y);
                }
                previous = new int[] {x, y};
            }
            g.drawString(group + " prompts", WIDTH - 200, group.equals("toxic-prefix") ? 40 : 58);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static int px(double x, double minX, double maxX) {
        return (int) Math.round(MARGIN + (x - minX) / (maxX - minX) * (WIDTH - 1.5 * MARGIN));
    }

    private static int py(double y, double maxY) {
        return (int) Math.round(HEIGHT - MARGIN - y / maxY * (HEIGHT - 1.5 * MARGIN));
    }
}
