package dev.mlsuite.detection.reduction;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import dev.mlsuite.inference.reduction.ReductionAlgorithm;

/**
 * PNG plot of test accuracy against relative encoder FLOPs, drawn with Java2D: per algorithm a solid
 * line with the calibration chosen for each setting and a dashed line with the unreduced calibration.
 */
final class ReductionPlot {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final int TICKS = 5;
    private static final int LEGEND_ENTRIES = 5;

    private ReductionPlot() {
    }

    static void write(Path file, List<EvaluateTokenReduction.Row> rows) throws IOException {
        double fullFlops = rows.get(0).flopsPerDocument();
        double minX = Math.floor(rows.stream().mapToDouble(row -> 100 * row.flopsPerDocument() / fullFlops).min()
                .orElse(0) / 10) * 10;
        double minY = Math.floor(rows.stream()
                .mapToDouble(row -> 100 * Math.min(row.metrics().accuracy(), row.unreducedCalibrationAccuracy()))
                .min().orElse(0) - 1);
        double maxY = Math.min(100, Math.ceil(rows.stream().mapToDouble(row -> 100 * row.metrics().accuracy()).max()
                .orElse(100) + 0.5));
        Axes axes = new Axes(minX, 100, minY, maxY);

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            drawAxes(g, axes);
            drawSeries(g, axes, rows, fullFlops, ReductionAlgorithm.TOME, new Color(31, 119, 180), 0, false);
            drawSeries(g, axes, rows, fullFlops, ReductionAlgorithm.PITOME, new Color(214, 39, 40), 1, false);
            drawSeries(g, axes, rows, fullFlops, ReductionAlgorithm.TOME, new Color(31, 119, 180), 2, true);
            drawSeries(g, axes, rows, fullFlops, ReductionAlgorithm.PITOME, new Color(214, 39, 40), 3, true);
            drawSeries(g, axes, rows, fullFlops, ReductionAlgorithm.NONE, Color.BLACK, 4, false);
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private record Axes(double minX, double maxX, double minY, double maxY) {

        int x(double value) {
            return LEFT + (int) Math.round((value - minX) / (maxX - minX) * (WIDTH - LEFT - RIGHT));
        }

        int y(double value) {
            return HEIGHT - BOTTOM - (int) Math.round((value - minY) / (maxY - minY) * (HEIGHT - TOP - BOTTOM));
        }
    }

    private static void drawAxes(Graphics2D g, Axes axes) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("Detection test accuracy against encoder FLOPs (all-MiniLM-L6-v2)", LEFT, TOP - 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
        g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
        for (int tick = 0; tick <= TICKS; tick++) {
            double yValue = axes.minY() + (axes.maxY() - axes.minY()) * tick / TICKS;
            int y = axes.y(yValue);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT + 1, y, WIDTH - RIGHT, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.1f%%", yValue), 20, y + 4);

            double xValue = axes.minX() + (axes.maxX() - axes.minX()) * tick / TICKS;
            int x = axes.x(xValue);
            g.drawLine(x, HEIGHT - BOTTOM, x, HEIGHT - BOTTOM + 5);
            g.drawString(String.format(Locale.ROOT, "%.0f%%", xValue), x - 12, HEIGHT - BOTTOM + 20);
        }
        g.drawString("encoder FLOPs per document, relative to no reduction", WIDTH / 2 - 150, HEIGHT - 15);
    }

    private static void drawSeries(Graphics2D g, Axes axes, List<EvaluateTokenReduction.Row> rows, double fullFlops,
            ReductionAlgorithm algorithm, Color color, int legendIndex, boolean unreducedCalibration) {
        List<EvaluateTokenReduction.Row> series = rows.stream()
                .filter(row -> row.settings().algorithm() == algorithm)
                .sorted((a, b) -> Double.compare(a.flopsPerDocument(), b.flopsPerDocument()))
                .toList();
        g.setColor(color);
        g.setStroke(unreducedCalibration
                ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                : new BasicStroke(2f));
        int previousX = -1;
        int previousY = -1;
        for (EvaluateTokenReduction.Row row : series) {
            int x = axes.x(100 * row.flopsPerDocument() / fullFlops);
            double accuracy = unreducedCalibration ? row.unreducedCalibrationAccuracy() : row.metrics().accuracy();
            int y = axes.y(100 * accuracy);
            g.fillOval(x - 4, y - 4, 8, 8);
            if (previousX >= 0) {
                g.drawLine(previousX, previousY, x, y);
            }
            previousX = x;
            previousY = y;
        }
        g.setStroke(new BasicStroke(1f));

        // The legend sits in the lower right corner, where reduced settings (fewer FLOPs, left) and
        // the unreduced point (100%, near the top) leave the plot empty.
        int legendX = WIDTH - RIGHT - 340;
        int legendY = HEIGHT - BOTTOM - 20 - (LEGEND_ENTRIES - 1 - legendIndex) * 20;
        g.fillOval(legendX - 4, legendY - 8, 8, 8);
        g.setColor(Color.BLACK);
        String name = algorithm.name().toLowerCase(Locale.ROOT);
        if (algorithm != ReductionAlgorithm.NONE) {
            name += unreducedCalibration ? ", unreduced calibration (dashed)" : ", calibration chosen per setting (solid)";
        }
        g.drawString(name, legendX + 10, legendY);
    }
}
