package dev.mlsuite.vision.tokens;

import java.time.Duration;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an image into Gaussian tokens: regions from an {@link TokenInitialisation}, one fitted
 * Gaussian per region ({@link TokenFitter}), Adam refinement ({@link TokenRefiner}) and the
 * rendered reconstruction with its PSNR and SSIM.
 *
 * <p>Owns a root {@link NDManager}; every call works in a sub-manager that it closes. Close the
 * tokenizer to free the native memory.
 */
public final class GaussianTokenizer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GaussianTokenizer.class);

    private final NDManager manager;
    private final GaussianSplatRenderer renderer;
    private final TokenRefiner refiner;

    /** Creates a tokenizer that owns and eventually closes {@code manager}. */
    public GaussianTokenizer(NDManager manager, double supportSigmas, TokenRefiner.LearningRates learningRates) {
        this.manager = manager;
        this.renderer = new GaussianSplatRenderer(supportSigmas);
        this.refiner = new TokenRefiner(renderer, learningRates);
        log.info("Gaussian tokenizer ready on {} ({} {}), support {} sigma", manager.getDevice(),
                manager.getEngine().getEngineName(), manager.getEngine().getVersion(), supportSigmas);
    }

    /** Creates a tokenizer on the CPU with the PyTorch engine, for commands and tests outside Spring. */
    public static GaussianTokenizer onCpu(double supportSigmas, TokenRefiner.LearningRates learningRates) {
        // The native library comes from the pytorch-native-cpu jar, so nothing needs a download.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return new GaussianTokenizer(NDManager.newBaseManager(Device.cpu(), "PyTorch"), supportSigmas, learningRates);
    }

    public GaussianSplatRenderer renderer() {
        return renderer;
    }

    /**
     * Tokenizes {@code image} into {@code tokenCount} tokens.
     *
     * @param steps     maximum Adam steps; 0 keeps the fitted tokens
     * @param timeLimit refinement stops after this much time even if steps remain
     */
    public Tokenization tokenize(RgbImage image, int tokenCount, TokenInitialisation initialisation, int steps,
            Duration timeLimit) {
        long start = System.nanoTime();
        List<Region> regions = initialisation.regions(image, tokenCount);
        List<GaussianToken> initialTokens = TokenFitter.fit(image, regions);
        long initialised = System.nanoTime();

        TokenRefiner.Result refinement = refiner.refine(manager, image, initialTokens, steps, timeLimit);
        long refined = System.nanoTime();

        RgbImage initialReconstruction = renderer.renderImage(manager, initialTokens, image.width(), image.height());
        RgbImage reconstruction = renderer.renderImage(manager, refinement.tokens(), image.width(), image.height());
        long rendered = System.nanoTime();

        double initialPsnr = ImageQuality.psnr(image, initialReconstruction);
        double initialSsim = ImageQuality.ssim(image, initialReconstruction);
        double psnr = ImageQuality.psnr(image, reconstruction);
        double ssim = ImageQuality.ssim(image, reconstruction);
        long measured = System.nanoTime();

        Tokenization.Timings timings = new Tokenization.Timings(millis(initialised - start),
                millis(refined - initialised), millis(rendered - refined), millis(measured - rendered));
        log.debug("Tokenized {}x{} image into {} {} tokens: PSNR {} -> {} dB after {} steps in {} ms",
                image.width(), image.height(), tokenCount, initialisation, initialPsnr, psnr, refinement.stepsRun(),
                timings.totalMillis());
        return new Tokenization(refinement.tokens(), reconstruction, initialPsnr, initialSsim, psnr, ssim,
                refinement, timings);
    }

    @Override
    public void close() {
        manager.close();
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}
