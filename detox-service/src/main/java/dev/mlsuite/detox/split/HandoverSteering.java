package dev.mlsuite.detox.split;

import java.util.Arrays;

/**
 * Steering of a handed-over sequence, which the decode instance applies at every later step.
 *
 * @param saeDigest {@link FolderDigest} of the SAE folder whose decoder rows give the directions
 * @param hookName hook point of the SAE, e.g. {@code blocks.2.hook_resid_pre}
 * @param strength multiple of each direction that is subtracted; positive
 * @param scaleByActivation whether each direction is also multiplied by the feature's activation
 * @param features SAE feature ids steered away from; at least one
 */
record HandoverSteering(String saeDigest, String hookName, float strength, boolean scaleByActivation,
        int[] features) {

    HandoverSteering {
        features = features.clone();
    }

    @Override
    public int[] features() {
        return features.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HandoverSteering that && saeDigest.equals(that.saeDigest)
                && hookName.equals(that.hookName) && Float.compare(strength, that.strength) == 0
                && scaleByActivation == that.scaleByActivation && Arrays.equals(features, that.features);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(saeDigest, hookName, strength, scaleByActivation)
                + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "HandoverSteering[sae " + saeDigest + " at " + hookName + ", strength " + strength
                + ", scaleByActivation " + scaleByActivation + ", features " + Arrays.toString(features) + "]";
    }
}
