package dev.mlsuite.vision.action;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Draws person tubes on sampled frames and lays the frames out as one PNG contact sheet. Each
 * track gets its own colour and a label with its id and, when scored, its top action.
 * Interpolated boxes are dashed, and optional reference boxes (hand annotations) are white.
 */
public final class PreviewRenderer {

    private static final int COLUMNS = 3;
    private static final int CAPTION_HEIGHT = 16;
    private static final Color[] TRACK_COLORS = {
        new Color(230, 25, 75), new Color(60, 180, 75), new Color(255, 225, 25), new Color(0, 130, 200),
        new Color(245, 130, 48), new Color(145, 30, 180), new Color(70, 240, 240), new Color(240, 50, 230),
    };

    private final int maxTileWidth;

    /** @param maxTileWidth frames wider than this are scaled down to it, in pixels */
    public PreviewRenderer(int maxTileWidth) {
        if (maxTileWidth < 32) {
            throw new IllegalArgumentException("maxTileWidth must be at least 32 pixels, got " + maxTileWidth);
        }
        this.maxTileWidth = maxTileWidth;
    }

    /**
     * Renders the frames in a grid of up to three columns.
     *
     * @param actionsByTrack  scored actions per track id; tracks without an entry are labelled by id only
     * @param referenceByFrame reference boxes per frame index, drawn in white; empty for service previews
     */
    public BufferedImage render(List<VideoFrame> frames, List<PersonTube> tubes,
            Map<Integer, List<ActionScore>> actionsByTrack, Map<Integer, List<Detection>> referenceByFrame) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("A preview needs at least one frame");
        }
        VideoFrame first = frames.get(0);
        double scale = Math.min(1.0, (double) maxTileWidth / first.width());
        int tileWidth = (int) Math.round(first.width() * scale);
        int tileHeight = (int) Math.round(first.height() * scale);
        int columns = Math.min(COLUMNS, frames.size());
        int rows = (frames.size() + columns - 1) / columns;

        BufferedImage sheet = new BufferedImage(columns * tileWidth, rows * (tileHeight + CAPTION_HEIGHT),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = sheet.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            for (int i = 0; i < frames.size(); i++) {
                int left = (i % columns) * tileWidth;
                int top = (i / columns) * (tileHeight + CAPTION_HEIGHT);
                drawTile(graphics, frames.get(i), left, top, scale, tileWidth, tileHeight, tubes, actionsByTrack,
                        referenceByFrame.getOrDefault(frames.get(i).frameIndex(), List.of()));
            }
        } finally {
            graphics.dispose();
        }
        return sheet;
    }

    /** Encodes an image as PNG bytes. */
    public static byte[] toPng(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to encode the preview as PNG", e);
        }
        return bytes.toByteArray();
    }

    private static void drawTile(Graphics2D graphics, VideoFrame frame, int left, int top, double scale,
            int tileWidth, int tileHeight, List<PersonTube> tubes, Map<Integer, List<ActionScore>> actionsByTrack,
            List<Detection> reference) {
        graphics.drawImage(frame.toBufferedImage(), left, top, tileWidth, tileHeight, null);

        graphics.setColor(Color.WHITE);
        graphics.setStroke(dashed(1.5f));
        for (Detection box : reference) {
            drawBox(graphics, box, left, top, scale);
        }

        for (PersonTube tube : tubes) {
            for (TubeBox tubeBox : tube.boxes()) {
                if (tubeBox.frameIndex() != frame.frameIndex()) {
                    continue;
                }
                Color color = TRACK_COLORS[(tube.trackId() - 1) % TRACK_COLORS.length];
                graphics.setColor(color);
                graphics.setStroke(tubeBox.interpolated() ? dashed(2f) : new BasicStroke(2f));
                drawBox(graphics, tubeBox.box(), left, top, scale);
                drawLabel(graphics, label(tube.trackId(), actionsByTrack.get(tube.trackId())), color,
                        left + (int) Math.round(tubeBox.box().x() * scale),
                        top + (int) Math.round(tubeBox.box().y() * scale));
            }
        }

        graphics.setColor(Color.BLACK);
        graphics.fillRect(left, top + tileHeight, tileWidth, CAPTION_HEIGHT);
        graphics.setColor(Color.WHITE);
        graphics.drawString(String.format("frame %d, %.2f s", frame.frameIndex(), frame.timeSeconds()), left + 4,
                top + tileHeight + CAPTION_HEIGHT - 4);
    }

    private static String label(int trackId, List<ActionScore> actions) {
        if (actions == null || actions.isEmpty()) {
            return "#" + trackId;
        }
        return "#" + trackId + " " + actions.get(0).label();
    }

    private static void drawBox(Graphics2D graphics, Detection box, int left, int top, double scale) {
        graphics.drawRect(left + (int) Math.round(box.x() * scale), top + (int) Math.round(box.y() * scale),
                (int) Math.round(box.width() * scale), (int) Math.round(box.height() * scale));
    }

    private static void drawLabel(Graphics2D graphics, String text, Color color, int x, int y) {
        int width = graphics.getFontMetrics().stringWidth(text) + 6;
        int height = graphics.getFontMetrics().getHeight();
        graphics.setColor(color);
        graphics.fillRect(x, y, width, height);
        graphics.setColor(Color.BLACK);
        graphics.drawString(text, x + 3, y + height - 4);
    }

    private static Stroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }
}
