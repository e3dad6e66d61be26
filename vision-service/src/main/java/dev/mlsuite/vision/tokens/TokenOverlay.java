package dev.mlsuite.vision.tokens;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws each token as its two-sigma ellipse, rotated along the covariance's principal axes, over
 * an enlarged copy of the image, for people to inspect where the tokens went.
 */
public final class TokenOverlay {

    /** The enlarged image's longer side reaches at least this many pixels where {@link #MAX_SCALE} allows. */
    private static final int TARGET_SIDE_PIXELS = 512;
    private static final int MAX_SCALE = 8;
    private static final double ELLIPSE_SIGMAS = 2.0;

    private TokenOverlay() {
    }

    public static BufferedImage draw(RgbImage image, List<GaussianToken> tokens) {
        int scale = Math.max(1, Math.min(MAX_SCALE,
                (int) Math.ceil((double) TARGET_SIDE_PIXELS / Math.max(image.width(), image.height()))));
        BufferedImage overlay = new BufferedImage(image.width() * scale, image.height() * scale,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = overlay.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            graphics.drawImage(image.toBufferedImage(), 0, 0, overlay.getWidth(), overlay.getHeight(), null);
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setStroke(new BasicStroke(1f));
            for (GaussianToken token : tokens) {
                drawToken(graphics, token, scale);
            }
        } finally {
            graphics.dispose();
        }
        return overlay;
    }

    private static void drawToken(Graphics2D graphics, GaussianToken token, int scale) {
        double varianceX = token.sigmaX() * token.sigmaX();
        double varianceY = token.sigmaY() * token.sigmaY();
        double covariance = token.rho() * token.sigmaX() * token.sigmaY();

        double halfTrace = (varianceX + varianceY) / 2;
        double spread = Math.sqrt((varianceX - varianceY) * (varianceX - varianceY) / 4 + covariance * covariance);
        double majorAxis = ELLIPSE_SIGMAS * Math.sqrt(halfTrace + spread) * scale;
        double minorAxis = ELLIPSE_SIGMAS * Math.sqrt(Math.max(0, halfTrace - spread)) * scale;
        double angle = 0.5 * Math.atan2(2 * covariance, varianceX - varianceY);

        double centreX = token.muX() * scale;
        double centreY = token.muY() * scale;
        AffineTransform saved = graphics.getTransform();
        graphics.rotate(angle, centreX, centreY);
        graphics.setColor(new Color(230, 30, 30, 200));
        graphics.draw(new Ellipse2D.Double(centreX - majorAxis, centreY - minorAxis, 2 * majorAxis, 2 * minorAxis));
        graphics.setTransform(saved);

        graphics.setColor(new Color(20, 90, 230));
        graphics.fill(new Ellipse2D.Double(centreX - 1.5, centreY - 1.5, 3, 3));
    }
}
