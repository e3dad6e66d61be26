package dev.mlsuite.inference.hooks;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An immutable set of hooks by hook point name; several hooks on one point run in the order added. */
public final class Hooks {

    /** No hooks: the forward pass runs unchanged. */
    public static final Hooks NONE = new Hooks(Map.of());

    private final Map<String, List<ActivationHook>> hooksByName;

    private Hooks(Map<String, List<ActivationHook>> hooksByName) {
        this.hooksByName = hooksByName;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return hooksByName.isEmpty();
    }

    public boolean has(String hookName) {
        return hooksByName.containsKey(hookName);
    }

    /**
     * Runs the hooks registered at {@code hookName} in order, each on the previous one's output.
     *
     * @throws IllegalStateException when a hook returns null or changes the shape
     */
    public NDArray apply(String hookName, NDArray activation) {
        List<ActivationHook> hooks = hooksByName.get(hookName);
        if (hooks == null) {
            return activation;
        }
        NDArray current = activation;
        for (ActivationHook hook : hooks) {
            NDArray next = hook.apply(hookName, current);
            if (next == null || !next.getShape().equals(current.getShape())) {
                throw new IllegalStateException("Hook at " + hookName + " returned "
                        + (next == null ? "null" : "shape " + next.getShape()) + " but the activation has shape "
                        + current.getShape() + "; a hook must return an array of the same shape");
            }
            current = next;
        }
        return current;
    }

    /** Collects hooks by hook point name. */
    public static final class Builder {

        private final Map<String, List<ActivationHook>> hooksByName = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder add(String hookName, ActivationHook hook) {
            Objects.requireNonNull(hookName, "hookName");
            Objects.requireNonNull(hook, "hook");
            hooksByName.computeIfAbsent(hookName, name -> new ArrayList<>()).add(hook);
            return this;
        }

        public Hooks build() {
            Map<String, List<ActivationHook>> copy = new LinkedHashMap<>();
            hooksByName.forEach((name, hooks) -> copy.put(name, List.copyOf(hooks)));
            return copy.isEmpty() ? NONE : new Hooks(Collections.unmodifiableMap(copy));
        }
    }
}
