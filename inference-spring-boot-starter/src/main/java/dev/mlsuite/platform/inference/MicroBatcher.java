package dev.mlsuite.platform.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import ai.djl.ndarray.NDManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mlsuite.inference.api.BatchPredictor;
import dev.mlsuite.inference.api.StagedBatchPredictor;
import dev.mlsuite.platform.inference.InferenceMetrics.ModelMeters;
import dev.mlsuite.platform.inference.InferenceProperties.Batching;

/**
 * Dynamic micro-batching for one model: requests wait in a bounded queue and one worker thread
 * runs them in batches. A batch runs as soon as {@code maxBatchSize} requests wait, or when the
 * oldest of them has waited {@code maxDelay}.
 *
 * <p>Requests may be submitted before the model is loaded; they wait until {@link #start}
 * hands over the predictor, or fail when {@link #fail} reports that loading failed.
 *
 * @param <I> input of one request
 * @param <O> output of one request
 */
public class MicroBatcher<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);

    private final String model;
    private final Batching batching;
    private final ModelMeters meters;
    private final BlockingQueue<PendingRequest<I, O>> queue;
    private final long maxDelayNanos;

    private volatile BatchPredictor<I, O> predictor;
    private volatile String unavailableReason;
    private volatile boolean running;
    private Thread worker;

    public MicroBatcher(String model, Batching batching, ModelMeters meters) {
        this.model = model;
        this.batching = batching;
        this.meters = meters;
        this.queue = new ArrayBlockingQueue<>(batching.queueCapacity());
        this.maxDelayNanos = batching.maxDelay().toNanos();
    }

    /**
     * Queues one request and returns its future output.
     *
     * @throws InferenceRejectedException 429 when the queue is full, 503 when the model failed
     *                                    to load or was closed
     */
    public CompletableFuture<O> submit(I input) {
        rejectIfUnavailable();

        PendingRequest<I, O> request = new PendingRequest<>(input, new CompletableFuture<>(), System.nanoTime());
        if (!queue.offer(request)) {
            meters.rejected().increment();
            throw InferenceRejectedException.queueFull(model, batching.queueCapacity(), batching.retryAfter());
        }

        // fail() may run between the check above and offer(). Its drain then either fails this
        // request, or ran before offer() and this check takes the request back and rejects it.
        if (unavailableReason != null && queue.remove(request)) {
            rejectIfUnavailable();
        }
        return request.output();
    }

    /**
     * Queues one request and waits for its output.
     *
     * <p>NOTE: this waits without a time limit; callers that need one use
     * {@code submit(input).orTimeout(...)}.
     *
     * @throws InferenceRejectedException as {@link #submit}
     */
    public O predict(I input) {
        try {
            return submit(input).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Returns the number of requests waiting now. */
    public int queueSize() {
        return queue.size();
    }

    /** Returns the batching settings of this model. */
    public Batching batching() {
        return batching;
    }

    /** Starts the worker thread that runs queued requests on {@code predictor}. */
    public synchronized void start(BatchPredictor<I, O> predictor) {
        if (worker != null || unavailableReason != null) {
            throw new IllegalStateException("Batcher of model '" + model + "' was already started or failed");
        }
        this.predictor = predictor;
        this.running = true;
        worker = new Thread(this::runWorker, "inference-batcher-" + model);
        worker.setDaemon(true);
        worker.start();
    }

    /** Rejects waiting and future requests with 503 because the model cannot serve them. */
    public synchronized void fail(String reason) {
        unavailableReason = reason;
        stopWorker();
        failWaitingRequests();
    }

    /** Stops the worker after its current batch and fails the requests still waiting. */
    @Override
    public void close() {
        fail("the model was closed because the service is shutting down");
    }

    private void rejectIfUnavailable() {
        String reason = unavailableReason;
        if (reason != null) {
            throw InferenceRejectedException.unavailable(model, reason);
        }
    }

    private void stopWorker() {
        running = false;
        if (worker == null) {
            return;
        }
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            log.warn("Batch worker of model '{}' did not stop within 30 s", model);
        }
    }

    private void failWaitingRequests() {
        List<PendingRequest<I, O>> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        for (PendingRequest<I, O> request : waiting) {
            request.output().completeExceptionally(InferenceRejectedException.unavailable(model, unavailableReason));
        }
        if (!waiting.isEmpty()) {
            log.warn("Failed {} waiting requests of model '{}': {}", waiting.size(), model, unavailableReason);
        }
    }

    private void runWorker() {
        List<PendingRequest<I, O>> batch = new ArrayList<>(batching.maxBatchSize());
        while (running) {
            try {
                collectBatch(batch);
            } catch (InterruptedException e) {
                // close() interrupts the wait for requests; requests already taken still run.
                running = false;
            }
            if (!batch.isEmpty()) {
                runBatch(batch);
                batch.clear();
            }
        }
    }

    /** Waits for the first request, then for more until the batch is full or the first has waited maxDelay. */
    private void collectBatch(List<PendingRequest<I, O>> batch) throws InterruptedException {
        PendingRequest<I, O> first = queue.take();
        batch.add(first);

        long deadline = first.enqueuedNanos() + maxDelayNanos;
        while (batch.size() < batching.maxBatchSize()) {
            long remainingNanos = deadline - System.nanoTime();
            PendingRequest<I, O> next = remainingNanos > 0
                    ? queue.poll(remainingNanos, TimeUnit.NANOSECONDS)
                    : queue.poll();
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void runBatch(List<PendingRequest<I, O>> batch) {
        long startNanos = System.nanoTime();
        List<PendingRequest<I, O>> live = new ArrayList<>(batch.size());
        for (PendingRequest<I, O> request : batch) {
            meters.queueWait().record(startNanos - request.enqueuedNanos(), TimeUnit.NANOSECONDS);
            // A caller that gave up (cancel or orTimeout) no longer needs the result.
            if (!request.output().isDone()) {
                live.add(request);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        meters.batchSize().record(live.size());

        List<I> inputs = live.stream().map(PendingRequest::input).toList();
        try {
            List<O> outputs = predict(inputs);
            if (outputs.size() != inputs.size()) {
                throw new IllegalStateException("Model '" + model + "' returned " + outputs.size()
                        + " outputs for a batch of " + inputs.size() + " inputs");
            }
            for (int i = 0; i < live.size(); i++) {
                live.get(i).output().complete(outputs.get(i));
            }
        } catch (RuntimeException | Error e) {
            log.error("Batch of {} requests failed on model '{}'", live.size(), model, e);
            for (PendingRequest<I, O> request : live) {
                request.output().completeExceptionally(e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<O> predict(List<I> inputs) {
        if (predictor instanceof StagedBatchPredictor<?, ?, ?, ?> staged) {
            return runStages((StagedBatchPredictor<I, ?, ?, O>) staged, inputs);
        }
        return meters.forward().record(() -> predictor.predictBatch(inputs));
    }

    /** Runs the three stages in one sub-manager, which frees every NDArray of the batch when closed. */
    private <B, R> List<O> runStages(StagedBatchPredictor<I, B, R, O> staged, List<I> inputs) {
        try (NDManager batchManager = staged.manager().newSubManager()) {
            long preprocessStart = System.nanoTime();
            B modelInput = staged.preprocess(batchManager, inputs);

            long forwardStart = System.nanoTime();
            R modelOutput = staged.forward(batchManager, modelInput);

            long postprocessStart = System.nanoTime();
            List<O> outputs = staged.postprocess(batchManager, modelOutput, inputs);
            long end = System.nanoTime();

            meters.preprocess().record(forwardStart - preprocessStart, TimeUnit.NANOSECONDS);
            meters.forward().record(postprocessStart - forwardStart, TimeUnit.NANOSECONDS);
            meters.postprocess().record(end - postprocessStart, TimeUnit.NANOSECONDS);
            return outputs;
        }
    }

    private record PendingRequest<I, O>(I input, CompletableFuture<O> output, long enqueuedNanos) {
    }
}
