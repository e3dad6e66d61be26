package dev.mlsuite.detox.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.detox.sae.SparseAutoencoder;
import dev.mlsuite.inference.hooks.ActivationHook;
import dev.mlsuite.inference.hooks.Hooks;

/**
 * Steers the residual stream away from SAE features: at the SAE's hook point, in the prompt pass
 * and every decoding step, it adds {@code -strength * W_dec[f]} for each chosen feature {@code f}.
 * With {@code scaleByActivation}, each direction is also multiplied by the feature's current
 * activation at that position, so positions where the feature is silent stay unchanged.
 *
 * <p>The edit goes straight into the residual stream rather than through the SAE's
 * reconstruction, so the SAE's reconstruction error does not undo it.
 */
public final class SteeringHook implements ActivationHook {

    private final SparseAutoencoder sae;
    private final int[] features;
    private final float strength;
    private final boolean scaleByActivation;

    public SteeringHook(SparseAutoencoder sae, int[] features, float strength, boolean scaleByActivation) {
        this.sae = sae;
        this.features = features.clone();
        this.strength = strength;
        this.scaleByActivation = scaleByActivation;
    }

    /** Returns hooks with this steering at the SAE's hook point, or no hooks when the strength is 0. */
    public Hooks hooks() {
        if (strength == 0f || features.length == 0) {
            return Hooks.NONE;
        }
        return Hooks.builder().add(sae.hookName(), this).build();
    }

    @Override
    public NDArray apply(String hookName, NDArray activation) {
        NDManager scope = activation.getManager();
        NDArray directions = sae.decoderRows(scope, features); // [features, d_in]
        if (!scaleByActivation) {
            return activation.sub(directions.sum(new int[] {0}).mul(strength));
        }
        NDArray chosen = sae.encode(activation).get(new ai.djl.ndarray.index.NDIndex("..., {}",
                scope.create(features))); // [batch, tokens, features]
        return activation.sub(chosen.matMul(directions).mul(strength));
    }
}
