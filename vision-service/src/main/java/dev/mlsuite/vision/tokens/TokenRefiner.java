package dev.mlsuite.vision.tokens;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.ParameterTracker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refines token parameters by Adam on the mean squared error between the rendered tokens and
 * the image, with gradients from DJL autograd through {@link GaussianSplatRenderer}.
 */
public final class TokenRefiner {

    private static final Logger log = LoggerFactory.getLogger(TokenRefiner.class);

    /**
     * The PyTorch engine of DJL 0.36 allows one open {@link GradientCollector} per JVM, so
     * refinements run one at a time.
     */
    private static final ReentrantLock GRADIENT_COLLECTOR_LOCK = new ReentrantLock();

    private static final String MEAN = "mean";
    private static final String LOG_SIGMA = "logSigma";
    private static final String RHO = "rho";
    private static final String FEATURES = "features";

    private final GaussianSplatRenderer renderer;
    private final LearningRates learningRates;

    public TokenRefiner(GaussianSplatRenderer renderer, LearningRates learningRates) {
        this.renderer = renderer;
        this.learningRates = learningRates;
    }

    /**
     * Adam step sizes per parameter group, in the unit of each parameter per step.
     *
     * @param meanPixels   centres, in pixels
     * @param logSigma     natural logarithm of the standard deviations
     * @param rhoParameter correlation before {@code tanh}
     * @param features     colour values in {@code [0, 1]} units
     */
    public record LearningRates(float meanPixels, float logSigma, float rhoParameter, float features) {

        public static final LearningRates DEFAULT = new LearningRates(0.2f, 0.03f, 0.03f, 0.02f);

        public LearningRates {
            for (float rate : new float[] {meanPixels, logSigma, rhoParameter, features}) {
                if (!(rate > 0)) {
                    throw new IllegalArgumentException("Learning rates must be positive, got " + rate);
                }
            }
        }
    }

    /**
     * Result of a refinement.
     *
     * @param tokens            refined tokens
     * @param stepsRun          Adam steps taken; fewer than requested when the time limit stopped it
     * @param losses            mean squared error before each step, then after the last one
     * @param timeLimitReached  whether the time limit ended the refinement
     */
    public record Result(List<GaussianToken> tokens, int stepsRun, List<Double> losses, boolean timeLimitReached) {

        public double initialLoss() {
            return losses.get(0);
        }

        public double finalLoss() {
            return losses.get(losses.size() - 1);
        }
    }

    /** Runs at most {@code steps} Adam steps and stops early once {@code timeLimit} has passed. */
    public Result refine(NDManager manager, RgbImage image, List<GaussianToken> initial, int steps,
            Duration timeLimit) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative, got " + steps);
        }
        GRADIENT_COLLECTOR_LOCK.lock();
        try (NDManager scope = manager.newSubManager()) {
            return refineLocked(scope, image, initial, steps, timeLimit);
        } finally {
            GRADIENT_COLLECTOR_LOCK.unlock();
        }
    }

    private Result refineLocked(NDManager scope, RgbImage image, List<GaussianToken> initial, int steps,
            Duration timeLimit) {
        long deadline = System.nanoTime() + timeLimit.toNanos();
        NDArray[] centres = GaussianSplatRenderer.pixelCentres(scope, image.width(), image.height());
        NDArray target = scope.create(image.data(), new Shape(image.pixelCount(), RgbImage.CHANNELS));
        TokenTensors tokens = TokenTensors.of(scope, initial);
        for (NDArray parameter : tokens.arrays()) {
            parameter.setRequiresGradient(true);
        }
        Map<String, NDArray> parameters = Map.of(MEAN, tokens.mean(), LOG_SIGMA, tokens.logSigma(),
                RHO, tokens.rhoParameter(), FEATURES, tokens.features());
        Adam adam = Adam.builder().optLearningRateTracker(learningRateTracker()).build();

        List<Double> losses = new ArrayList<>();
        int stepsRun = 0;
        boolean timeLimitReached = false;
        while (stepsRun < steps) {
            if (System.nanoTime() >= deadline) {
                timeLimitReached = true;
                break;
            }
            losses.add(computeGradients(scope, centres, target, tokens));
            for (Map.Entry<String, NDArray> parameter : parameters.entrySet()) {
                try (NDArray gradient = parameter.getValue().getGradient()) {
                    adam.update(parameter.getKey(), parameter.getValue(), gradient);
                }
            }
            stepsRun++;
        }
        losses.add(loss(scope, centres, target, tokens));

        if (timeLimitReached) {
            log.info("Token refinement stopped by the time limit of {} after {} of {} steps", timeLimit, stepsRun,
                    steps);
        }
        return new Result(tokens.toTokens(), stepsRun, List.copyOf(losses), timeLimitReached);
    }

    /** Runs one forward and backward pass in a step scope and returns the loss before the update. */
    private double computeGradients(NDManager scope, NDArray[] centres, NDArray target, TokenTensors tokens) {
        try (NDManager step = scope.newSubManager()) {
            // Inputs move to the step scope while it is open, so every intermediate array of the
            // pass is freed when it closes and the inputs return to the refinement scope.
            step.tempAttachAll(centres[0], centres[1], target);
            step.tempAttachAll(tokens.arrays());
            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                NDArray rendered = renderer.render(centres[0], centres[1], tokens);
                NDArray loss = rendered.sub(target).square().mean();
                collector.backward(loss);
                return loss.getFloat();
            }
        }
    }

    private double loss(NDManager scope, NDArray[] centres, NDArray target, TokenTensors tokens) {
        try (NDManager step = scope.newSubManager()) {
            step.tempAttachAll(centres[0], centres[1], target);
            step.tempAttachAll(tokens.arrays());
            NDArray rendered = renderer.render(centres[0], centres[1], tokens);
            return rendered.sub(target).square().mean().getFloat();
        }
    }

    private ParameterTracker learningRateTracker() {
        return (parameterId, updateCount) -> switch (parameterId) {
            case MEAN -> learningRates.meanPixels();
            case LOG_SIGMA -> learningRates.logSigma();
            case RHO -> learningRates.rhoParameter();
            case FEATURES -> learningRates.features();
            default -> throw new IllegalArgumentException("Unknown token parameter " + parameterId);
        };
    }
}
