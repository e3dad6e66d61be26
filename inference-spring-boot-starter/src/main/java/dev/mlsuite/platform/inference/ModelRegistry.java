package dev.mlsuite.platform.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import ai.djl.Device;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.mlsuite.inference.api.BatchPredictor;
import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.api.ModelDefinition;
import dev.mlsuite.inference.api.ModelFactory;
import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.platform.inference.InferenceProperties.Model;

/**
 * The models configured under {@code inference.models}: loads each once at start-up, warms it
 * up, serves its requests through a {@link MicroBatcher}, and frees its native memory on
 * shutdown.
 *
 * <p>The configuration is checked when the registry is created: an unknown model type or a
 * missing model path fails start-up. Loading itself runs in {@link #start()}, on a background
 * thread when {@code inference.load-in-background} is {@code true}.
 */
public class ModelRegistry implements SmartLifecycle {

    /**
     * Starts before the web server (which starts in phase {@code DEFAULT_PHASE - 2048}) and so
     * stops after it, when no request is running any more.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final long LOADER_STOP_TIMEOUT_SECONDS = 60;

    private final InferenceProperties properties;
    private final Map<String, ModelSlot> slots = new LinkedHashMap<>();

    private volatile boolean running;
    private Thread loader;

    /**
     * @param properties the {@code inference.*} configuration
     * @param factories  factories by priority; the first factory of each type wins
     * @param engine     started engine, requested only when at least one model is configured
     * @param metrics    meters that the batchers record to
     */
    public ModelRegistry(InferenceProperties properties, List<ModelFactory> factories,
            Supplier<InferenceEngine> engine, InferenceMetrics metrics) {
        this.properties = properties;
        Map<String, ModelFactory> factoriesByType = indexByType(factories);

        properties.models().forEach((name, model) -> {
            ModelFactory factory = requireFactory(name, model, factoriesByType);
            requireExistingPath(name, model.path());
            Device device = resolveDevice(name, model, engine.get());

            ModelDefinition definition = new ModelDefinition(name, model.type(), model.path(), device,
                    model.options());
            MicroBatcher<Object, Object> batcher = new MicroBatcher<>(name, properties.batchingOf(model),
                    metrics.forModel(name));
            metrics.registerQueueSize(name, batcher::queueSize);
            slots.put(name, new ModelSlot(definition, factory, batcher));
        });
    }

    /** Returns the names of the configured models, in configuration order. */
    public Set<String> names() {
        return slots.keySet();
    }

    /**
     * Returns the batcher of the named model. Requests submitted before the model is warm wait
     * in its queue.
     *
     * <p>The type parameters are not checked here: a mismatch with the model's
     * {@link BatchPredictor} types fails with a {@link ClassCastException} when the batch runs.
     *
     * @throws IllegalArgumentException when no model of that name is configured
     */
    @SuppressWarnings("unchecked")
    public <I, O> MicroBatcher<I, O> batcher(String name) {
        return (MicroBatcher<I, O>) slot(name).batcher;
    }

    /**
     * Returns the loaded model, e.g. to call a generator that does not fit batching.
     *
     * @throws IllegalArgumentException   when no model of that name is configured, or it is not a
     *                                    {@code type}
     * @throws InferenceRejectedException 503 when the model is not loaded yet or failed
     */
    public <M> M model(String name, Class<M> type) {
        ModelSlot slot = slot(name);
        InferenceModel model = slot.model;
        ModelState state = slot.state;
        if (state == ModelState.FAILED || state == ModelState.CLOSED) {
            throw InferenceRejectedException.unavailable(name, "its state is " + state);
        }
        if (state != ModelState.READY) {
            throw InferenceRejectedException.notReady(name, properties.batching().retryAfter());
        }
        if (!type.isInstance(model)) {
            throw new IllegalArgumentException("Model '" + name + "' is a " + model.getClass().getName()
                    + ", not a " + type.getName());
        }
        return type.cast(model);
    }

    /** Returns the status of every configured model, in configuration order. */
    public List<ModelStatus> statuses() {
        return slots.values().stream().map(ModelSlot::status).toList();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (slots.isEmpty()) {
            return;
        }
        if (properties.loadInBackground()) {
            loader = new Thread(this::loadAllInBackground, "inference-model-loader");
            loader.setDaemon(true);
            loader.start();
            return;
        }
        for (ModelSlot slot : slots.values()) {
            if (!load(slot)) {
                throw new IllegalStateException("Model '" + slot.definition.name() + "' failed to load: "
                        + slot.error + "; fix inference.models." + slot.definition.name()
                        + ".* or set inference.load-in-background=true to start without it");
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        waitForLoader();
        for (ModelSlot slot : slots.values()) {
            slot.close();
        }
        log.info("Model registry stopped ({} models)", slots.size());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void loadAllInBackground() {
        for (ModelSlot slot : slots.values()) {
            if (!running) {
                return;
            }
            load(slot);
        }
    }

    /** Loads and warms up one model; returns whether it is ready. */
    private boolean load(ModelSlot slot) {
        ModelDefinition definition = slot.definition;
        long startNanos = System.nanoTime();
        InferenceModel model = null;
        try {
            slot.state = ModelState.LOADING;
            log.info("Loading model '{}' of type {} from {} on device {}", definition.name(), definition.type(),
                    definition.path() != null ? definition.path() : "(no path)", definition.device());
            model = slot.factory.create(definition);
            slot.model = model;
            long loadedNanos = System.nanoTime();

            slot.state = ModelState.WARMING_UP;
            model.warmUp();
            long warmNanos = System.nanoTime();

            if (!slot.markReady(Duration.ofNanos(warmNanos - startNanos), this::isRunning)) {
                log.info("Model '{}' finished loading after shutdown began; closed it", definition.name());
                return false;
            }
            log.info("Model '{}' ready: version {}, {} parameters on {}, loaded in {} ms, warmed up in {} ms",
                    definition.name(), model.version(), model.parameterCount(), model.device(),
                    TimeUnit.NANOSECONDS.toMillis(loadedNanos - startNanos),
                    TimeUnit.NANOSECONDS.toMillis(warmNanos - loadedNanos));
        } catch (Exception | LinkageError e) {
            slot.error = e.getClass().getSimpleName() + ": " + e.getMessage();
            slot.state = ModelState.FAILED;
            log.error("Model '{}' of type {} failed to load from {}", definition.name(), definition.type(),
                    definition.path(), e);
            slot.batcher.fail("it failed to load (" + slot.error + ")");
            if (model != null) {
                closeQuietly(definition.name(), model);
            }
            return false;
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static void startBatching(ModelSlot slot, InferenceModel model) {
        if (model instanceof BatchPredictor<?, ?> predictor) {
            slot.batcher.start((BatchPredictor<Object, Object>) predictor);
        } else {
            slot.batcher.fail("its type " + model.getClass().getName() + " does not implement BatchPredictor, "
                    + "so it serves no batched requests");
        }
    }

    private void waitForLoader() {
        if (loader == null) {
            return;
        }
        try {
            // Loading runs in native code that an interrupt cannot stop, so wait for the current model.
            loader.join(TimeUnit.SECONDS.toMillis(LOADER_STOP_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loader.isAlive()) {
            log.warn("Model loader still running after {} s; closing the loaded models anyway",
                    LOADER_STOP_TIMEOUT_SECONDS);
        }
    }

    private ModelSlot slot(String name) {
        ModelSlot slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("No model named '" + name + "' is configured under inference.models; "
                    + "configured models: " + slots.keySet());
        }
        return slot;
    }

    private static Map<String, ModelFactory> indexByType(Collection<ModelFactory> factories) {
        Map<String, ModelFactory> byType = new LinkedHashMap<>();
        for (ModelFactory factory : factories) {
            byType.putIfAbsent(factory.type(), factory);
        }
        return byType;
    }

    private static ModelFactory requireFactory(String name, Model model, Map<String, ModelFactory> factoriesByType) {
        ModelFactory factory = factoriesByType.get(model.type());
        if (factory == null) {
            throw new IllegalStateException("Model '" + name + "' has type '" + model.type()
                    + "' (inference.models." + name + ".type), but no ModelFactory builds that type; known types: "
                    + new TreeSet<>(factoriesByType.keySet())
                    + ". Correct the type, or add the module or ModelFactory bean that provides it.");
        }
        return factory;
    }

    private Device resolveDevice(String name, Model model, InferenceEngine engine) {
        DeviceSetting setting = properties.deviceOf(model);
        return switch (setting) {
            case CPU -> Device.cpu();
            case AUTO -> engine.gpuCount() > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (engine.gpuCount() == 0) {
                    String property = model.device() != null ? "inference.models." + name + ".device"
                            : EngineSettings.DEVICE_SETTING;
                    throw new IllegalStateException("Model '" + name + "' requests device gpu, but the PyTorch engine "
                            + engine.engineVersion() + " detects no GPU; set " + property + " to auto or cpu");
                }
                yield Device.gpu();
            }
        };
    }

    private static void requireExistingPath(String name, Path path) {
        if (path != null && !Files.exists(path)) {
            throw new IllegalStateException("Model file " + path.toAbsolutePath() + " of model '" + name
                    + "' does not exist; set inference.models." + name + ".path to an existing file or directory");
        }
    }

    private static void closeQuietly(String name, InferenceModel model) {
        try {
            model.close();
        } catch (RuntimeException e) {
            log.warn("Closing model '{}' failed", name, e);
        }
    }

    /** State of one configured model; fields are written by the loader thread and read by any thread. */
    private static final class ModelSlot {

        private final ModelDefinition definition;
        private final ModelFactory factory;
        private final MicroBatcher<Object, Object> batcher;

        private volatile ModelState state = ModelState.PENDING;
        private volatile InferenceModel model;
        private volatile Duration loadTime;
        private volatile String error;

        private ModelSlot(ModelDefinition definition, ModelFactory factory, MicroBatcher<Object, Object> batcher) {
            this.definition = definition;
            this.factory = factory;
            this.batcher = batcher;
        }

        private ModelStatus status() {
            InferenceModel loaded = model;
            boolean described = loaded != null && state != ModelState.FAILED;
            return new ModelStatus(definition.name(), definition.type(), state,
                    described ? loaded.version() : null,
                    described ? loaded.device().toString() : null,
                    described ? loaded.parameterCount() : 0,
                    loadTime, error,
                    described ? loaded.details() : Map.of());
        }

        /**
         * Marks the model ready and starts its batcher, unless shutdown began, in which case it
         * closes the model. Because both methods hold the slot's lock, {@link #close()} either runs
         * after this method and finds READY, or runs before it and leaves the model to this method.
         */
        private synchronized boolean markReady(Duration timeToReady, BooleanSupplier registryRunning) {
            if (!registryRunning.getAsBoolean()) {
                closeQuietly(definition.name(), model);
                state = ModelState.CLOSED;
                return false;
            }
            loadTime = timeToReady;
            state = ModelState.READY;
            startBatching(this, model);
            return true;
        }

        /**
         * Rejects further requests and frees a ready model. A model that is still loading is left
         * to {@link #markReady}, because closing it during its forward pass could crash the JVM.
         */
        private synchronized void close() {
            batcher.close();
            if (state == ModelState.READY) {
                closeQuietly(definition.name(), model);
                state = ModelState.CLOSED;
            }
        }
    }
}
