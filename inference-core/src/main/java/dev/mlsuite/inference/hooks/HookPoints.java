package dev.mlsuite.inference.hooks;

/** Names of residual-stream hook points, spelled as TransformerLens spells them. */
public final class HookPoints {

    private HookPoints() {
    }

    /** Residual stream entering block {@code layer}, before its first normalisation. */
    public static String residPre(int layer) {
        return "blocks." + layer + ".hook_resid_pre";
    }

    /** Residual stream leaving block {@code layer}, after the MLP's residual addition. */
    public static String residPost(int layer) {
        return "blocks." + layer + ".hook_resid_post";
    }
}
