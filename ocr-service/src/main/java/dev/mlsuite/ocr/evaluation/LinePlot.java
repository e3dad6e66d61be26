package dev.mlsuite.ocr.evaluation;

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
import java.util.Map;
import javax.imageio.ImageIO;

/** Draws simple line charts as PNG with Java2D. */
public final class LinePlot {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int MARGIN = 60;
    private static final Color[] COLOURS = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
            new Color(148, 103, 189)};

    private LinePlot() {
    }

    /** Writes a chart of {@code series} (name to points {@code [x, y]}) to {@code file}; non-finite points are left out. */
    public static void write(Path file, String title, String xLabel, String yLabel, Map<String, List<double[]>> rawSeries)
            throws IOException {
        Map<String, List<double[]>> series = new java.util.LinkedHashMap<>();
        rawSeries.forEach((name, points) -> series.put(name, points.stream()
                .filter(point -> Double.isFinite(point[0]) && Double.isFinite(point[1])).toList()));
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (List<double[]> points : series.values()) {
            for (double[] point : points) {
                minX = Math.min(minX, point[0]);
                maxX = Math.max(maxX, point[0]);
                minY = Math.min(minY, point[1]);
                maxY = Math.max(maxY, point[1]);
            }
        }
        if (maxX <= minX) {
            maxX = minX + 1;
        }
        if (maxY <= minY) {
            maxY = minY + 1;
        }

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(title, MARGIN, 25);
            g.drawLine(MARGIN, HEIGHT - MARGIN, WIDTH - 20, HEIGHT - MARGIN);
            g.drawLine(MARGIN, 40, MARGIN, HEIGHT - MARGIN);
            g.drawString(xLabel, WIDTH / 2 - 30, HEIGHT - 15);
            g.drawString(yLabel, 5, 35);
            for (int tick = 0; tick <= 4; tick++) {
                double x = minX + (maxX - minX) * tick / 4;
                double y = minY + (maxY - minY) * tick / 4;
                g.drawString(String.format(Locale.ROOT, "%.3g", x), px(x, minX, maxX) - 10, HEIGHT - MARGIN + 18);
                g.drawString(String.format(Locale.ROOT, "%.3g", y), 8, py(y, minY, maxY) + 4);
            }

            int index = 0;
            for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
                g.setColor(COLOURS[index % COLOURS.length]);
                g.setStroke(new BasicStroke(2f));
                List<double[]> points = entry.getValue();
                for (int i = 1; i < points.size(); i++) {
                    g.drawLine(px(points.get(i - 1)[0], minX, maxX), py(points.get(i - 1)[1], minY, maxY),
                            px(points.get(i)[0], minX, maxX), py(points.get(i)[1], minY, maxY));
                }
                for (double[] point : points) {
                    g.fillOval(px(point[0], minX, maxX) - 3, py(point[1], minY, maxY) - 3, 6, 6);
                }
                g.drawString(entry.getKey(), WIDTH - 200, 50 + 18 * index);
                index++;
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static int px(double x, double min, double max) {
        return MARGIN + (int) Math.round((x - min) / (max - min) * (WIDTH - MARGIN - 30));
    }

    private static int py(double y, double min, double max) {
        return HEIGHT - MARGIN - (int) Math.round((y - min) / (max - min) * (HEIGHT - MARGIN - 50));
    }
}
