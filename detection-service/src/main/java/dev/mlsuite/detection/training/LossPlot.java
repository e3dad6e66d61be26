package dev.mlsuite.detection.training;

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

/** Draws loss curves per epoch into a PNG file with Java2D. */
final class LossPlot {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 450;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final int Y_TICKS = 5;

    /** One named curve: a value per epoch. */
    record Series(String name, List<Double> values, Color color) {
    }

    private LossPlot() {
    }

    /** Writes the curves; the y axis starts at 0 and ends at the largest value. */
    static void write(Path file, String title, List<Series> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);

            int epochs = series.stream().mapToInt(s -> s.values().size()).max().orElse(1);
            double maxValue = series.stream().flatMap(s -> s.values().stream()).mapToDouble(Double::doubleValue)
                    .max().orElse(1);
            drawAxes(g, title, epochs, maxValue);
            for (int i = 0; i < series.size(); i++) {
                drawSeries(g, series.get(i), epochs, maxValue);
                drawLegendEntry(g, series.get(i), i);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static void drawAxes(Graphics2D g, String title, int epochs, double maxValue) {
        int plotBottom = HEIGHT - BOTTOM;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, TOP - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawLine(LEFT, TOP, LEFT, plotBottom);
        g.drawLine(LEFT, plotBottom, WIDTH - RIGHT, plotBottom);

        for (int tick = 0; tick <= Y_TICKS; tick++) {
            double value = maxValue * tick / Y_TICKS;
            int y = yOf(value, maxValue);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT + 1, y, WIDTH - RIGHT, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3f", value), 10, y + 4);
        }
        int xTicks = Math.min(10, epochs);
        for (int tick = 0; tick <= xTicks; tick++) {
            int epoch = Math.max(1, (int) Math.round((double) epochs * tick / xTicks));
            int x = xOf(epoch, epochs);
            g.drawLine(x, plotBottom, x, plotBottom + 5);
            g.drawString(Integer.toString(epoch), x - 8, plotBottom + 20);
        }
        g.drawString("epoch", WIDTH / 2 - 15, HEIGHT - 10);
    }

    private static void drawSeries(Graphics2D g, Series series, int epochs, double maxValue) {
        g.setColor(series.color());
        g.setStroke(new BasicStroke(2f));
        List<Double> values = series.values();
        for (int i = 1; i < values.size(); i++) {
            g.drawLine(xOf(i, epochs), yOf(values.get(i - 1), maxValue), xOf(i + 1, epochs),
                    yOf(values.get(i), maxValue));
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void drawLegendEntry(Graphics2D g, Series series, int index) {
        int x = WIDTH - RIGHT - 230;
        int y = TOP + 15 + index * 20;
        g.setColor(series.color());
        g.fillRect(x, y - 9, 20, 10);
        g.setColor(Color.BLACK);
        g.drawString(series.name(), x + 28, y);
    }

    /** Maps epoch 1..epochs to the plot's horizontal extent. */
    private static int xOf(int epoch, int epochs) {
        double fraction = epochs <= 1 ? 0 : (epoch - 1.0) / (epochs - 1.0);
        return LEFT + (int) Math.round(fraction * (WIDTH - LEFT - RIGHT));
    }

    private static int yOf(double value, double maxValue) {
        double fraction = maxValue <= 0 ? 0 : value / maxValue;
        return HEIGHT - BOTTOM - (int) Math.round(fraction * (HEIGHT - TOP - BOTTOM));
    }
}
