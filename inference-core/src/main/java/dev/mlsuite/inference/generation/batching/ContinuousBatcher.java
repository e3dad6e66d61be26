package dev.mlsuite.inference.generation.batching;

import dev.mlsuite.inference.generation.FinishReason;
import dev.mlsuite.inference.generation.GenerationResult;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.Generator.PrefillRequest;
import dev.mlsuite.inference.generation.SequenceState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous (iteration-level) batching: one loop thread decodes all active sequences, of any
 * lengths, in one batched forward pass per step. Between steps, finished and cancelled sequences
 * leave and waiting ones join, so a new request waits for one step, not for the running batch to end,
 * unless {@link BatcherSettings#maxActiveSequences()} sequences are active.
 *
 * <p>Each sequence keeps its own sampling settings, stop conditions, hooks and listener. Listeners
 * and hooks run on the loop thread, or for the first token on the prefill thread. With
 * {@link BatcherSettings#prefillThreads()} 0 the loop itself prefills waiting prompts between decode
 * steps; otherwise prefill runs on separate threads and only the prefilled sequence joins the loop.
 *
 * <p>NOTE: a listener or hook that throws during a decode step fails every sequence of that step,
 * because the step is one forward pass; listeners should hand slow or failing work to another thread.
 */
public final class ContinuousBatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContinuousBatcher.class);
    private static final long IDLE_POLL_MILLIS = 50;

    private final String name;
    private final Generator generator;
    private final BatcherSettings settings;
    private final LinkedBlockingQueue<Entry> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final List<Entry> active = new ArrayList<>();
    private final AtomicInteger activeCount = new AtomicInteger();
    private final ExecutorService prefillPool;
    private final Thread loopThread;
    private volatile boolean running = true;

    /** A request or prefilled sequence on its way into the decode loop. */
    private static final class Entry {
        final GenerationHandle handle;
        final PrefillRequest request;
        SequenceState state;
        long firstTokenNanos;

        Entry(GenerationHandle handle, PrefillRequest request, SequenceState state) {
            this.handle = handle;
            this.request = request;
            this.state = state;
        }
    }

    public ContinuousBatcher(String name, Generator generator, BatcherSettings settings) {
        this.name = Objects.requireNonNull(name, "name");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.prefillPool = settings.prefillThreads() == 0 ? null
                : Executors.newFixedThreadPool(settings.prefillThreads(), runnable -> {
                    Thread thread = new Thread(runnable, name + "-prefill");
                    thread.setDaemon(true);
                    return thread;
                });
        this.loopThread = new Thread(this::runLoop, name + "-decode");
        this.loopThread.setDaemon(true);
        this.loopThread.start();
        log.info("Started batcher {}: max {} active sequences, max {} waiting requests, {} prefill threads", name,
                settings.maxActiveSequences(), settings.maxWaitingRequests(), settings.prefillThreads());
    }

    /**
     * Queues a prompt: it is prefilled (on the loop or a prefill thread) and then decodes with the others.
     *
     * @throws AdmissionRejectedException when {@link BatcherSettings#maxWaitingRequests()} requests wait
     */
    public GenerationHandle submit(PrefillRequest request) {
        Objects.requireNonNull(request, "request");
        admit();
        Entry entry = new Entry(new GenerationHandle(), request, null);
        if (prefillPool == null) {
            ready.add(entry);
        } else {
            prefillPool.execute(() -> prefillSeparately(entry));
        }
        return entry.handle;
    }

    /**
     * Queues a sequence that was prefilled elsewhere, e.g. restored from a hand-over; it joins the
     * decode loop before the next step. The batcher owns the state from now on.
     *
     * @throws AdmissionRejectedException when {@link BatcherSettings#maxWaitingRequests()} requests wait
     */
    public GenerationHandle join(SequenceState prefilled) {
        Objects.requireNonNull(prefilled, "prefilled");
        admit();
        Entry entry = new Entry(new GenerationHandle(), null, prefilled);
        ready.add(entry);
        return entry.handle;
    }

    /** Returns the number of sequences in the decode loop. */
    public int activeSequences() {
        return activeCount.get();
    }

    /** Returns the number of requests waiting for prefill or for a place in the decode loop. */
    public int waitingRequests() {
        return waitingCount.get();
    }

    public BatcherSettings settings() {
        return settings;
    }

    private void admit() {
        if (!running) {
            throw new IllegalStateException("Batcher " + name + " is closed");
        }
        if (waitingCount.incrementAndGet() > settings.maxWaitingRequests()) {
            waitingCount.decrementAndGet();
            throw new AdmissionRejectedException(name, settings.maxWaitingRequests());
        }
    }

    private void prefillSeparately(Entry entry) {
        if (entry.handle.cancelRequested()) {
            waitingCount.decrementAndGet();
            completeCancelled(entry);
            return;
        }
        try {
            entry.state = generator.prefill(entry.request);
            entry.firstTokenNanos = System.nanoTime();
            ready.add(entry);
        } catch (RuntimeException | Error e) {
            waitingCount.decrementAndGet();
            log.warn("Prefill failed in batcher {}: {}", name, e.toString());
            entry.handle.result().completeExceptionally(e);
        }
    }

    private void runLoop() {
        while (running) {
            List<Entry> joining = List.of();
            try {
                joining = takeJoining();
                prefillOnLoop(joining);
                for (Entry entry : joining) {
                    addActive(entry);
                }
                if (!active.isEmpty()) {
                    decodeStep();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // An Error such as OutOfMemoryError fails the sequences of this step, which frees their KV
                // caches, and the loop goes on serving the others instead of leaving them waiting forever.
                log.error("Decode loop of batcher {} failed; failing its {} active and {} joining sequences", name,
                        active.size(), joining.size(), e);
                failJoining(joining, e);
                failActive(e);
            }
        }
    }

    /** Fails the entries of {@code joining} that did not reach the active list before {@code failure}. */
    private void failJoining(List<Entry> joining, Throwable failure) {
        for (Entry entry : joining) {
            if (!active.contains(entry) && !entry.handle.result().isDone()) {
                if (entry.state != null) {
                    entry.state.close();
                }
                entry.handle.result().completeExceptionally(failure);
            }
        }
    }

    /** Takes cancelled entries out of the queue and returns as many others as the loop has room for. */
    private List<Entry> takeJoining() throws InterruptedException {
        List<Entry> joining = new ArrayList<>();
        if (active.isEmpty()) {
            Entry first = ready.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (first == null) {
                return joining;
            }
            ready.add(first);
        }
        for (Iterator<Entry> it = ready.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.handle.cancelRequested()) {
                ready.remove(entry);
                waitingCount.decrementAndGet();
                completeCancelled(entry);
            }
        }
        int room = settings.maxActiveSequences() - active.size();
        while (joining.size() < room) {
            Entry entry = ready.poll();
            if (entry == null) {
                break;
            }
            waitingCount.decrementAndGet();
            joining.add(entry);
        }
        return joining;
    }

    /** Prefills the prompts among {@code joining} in one batch, or one by one when the batch fails. */
    private void prefillOnLoop(List<Entry> joining) {
        List<Entry> prompts = joining.stream().filter(entry -> entry.state == null).toList();
        if (prompts.isEmpty()) {
            return;
        }
        try {
            List<SequenceState> states = generator.prefill(prompts.stream().map(entry -> entry.request).toList());
            long now = System.nanoTime();
            for (int i = 0; i < prompts.size(); i++) {
                prompts.get(i).state = states.get(i);
                prompts.get(i).firstTokenNanos = now;
            }
        } catch (IllegalArgumentException batchFailure) {
            // One invalid prompt fails the whole batch, so each prompt gets its own prefill and error.
            for (Entry entry : prompts) {
                try {
                    entry.state = generator.prefill(entry.request);
                    entry.firstTokenNanos = System.nanoTime();
                } catch (IllegalArgumentException e) {
                    entry.handle.result().completeExceptionally(e);
                }
            }
            joining.removeIf(entry -> entry.state == null);
        }
    }

    private void addActive(Entry entry) {
        if (entry.state.isFinished()) {
            complete(entry);
            return;
        }
        active.add(entry);
        activeCount.set(active.size());
    }

    private void decodeStep() {
        List<SequenceState> states = new ArrayList<>(active.size());
        for (Entry entry : active) {
            if (entry.handle.cancelRequested()) {
                entry.state.cancel();
            }
            states.add(entry.state);
        }

        generator.decode(states);

        List<Entry> finished = new ArrayList<>();
        for (Iterator<Entry> it = active.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.state.isFinished()) {
                it.remove();
                finished.add(entry);
            }
        }

        // The count drops before callers see their result, so a caller never sees its own finished sequence.
        activeCount.set(active.size());
        finished.forEach(this::complete);
    }

    private void complete(Entry entry) {
        SequenceState state = entry.state;
        long now = System.nanoTime();
        long prefillNanos = entry.request == null ? 0 : entry.firstTokenNanos - entry.handle.submittedNanos();
        long decodeNanos = now - (entry.request == null ? entry.handle.submittedNanos() : entry.firstTokenNanos);
        state.close();
        entry.handle.result().complete(new GenerationResult(state.text(), state.generatedTokens(),
                state.promptLength(), state.finishReason(), prefillNanos, decodeNanos));
    }

    private void completeCancelled(Entry entry) {
        int promptLength = entry.request != null ? entry.request.promptTokens().length : entry.state.promptLength();
        if (entry.state != null) {
            entry.state.close();
        }
        entry.handle.result().complete(new GenerationResult("", new int[0], promptLength, FinishReason.CANCELLED,
                0, 0));
    }

    private void failActive(Throwable failure) {
        for (Entry entry : active) {
            entry.state.close();
            entry.handle.result().completeExceptionally(failure);
        }
        active.clear();
        activeCount.set(0);
    }

    /** Stops the loop and the prefill threads; unfinished requests fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        running = false;
        if (prefillPool != null) {
            prefillPool.shutdownNow();
        }
        loopThread.interrupt();
        try {
            loopThread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IllegalStateException closed = new IllegalStateException("Batcher " + name + " was closed");
        failActive(closed);
        for (Entry entry; (entry = ready.poll()) != null; ) {
            if (entry.state != null) {
                entry.state.close();
            }
            entry.handle.result().completeExceptionally(closed);
        }
        log.info("Stopped batcher {}", name);
    }
}
