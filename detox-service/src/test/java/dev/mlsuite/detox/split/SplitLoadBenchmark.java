package dev.mlsuite.detox.split;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Mixed load against {@code POST /v1/split/generations/stream} of one detox instance: background
 * streams that decode long continuations all the time, and long prompts that arrive at a fixed
 * interval while they run. Prints one Markdown table row: TTFT of the long prompts, time between
 * tokens (TBT) of the background streams, p50 and p99, and tokens per second of all streams.
 *
 * <p>Arguments: base URL, background streams, tokens per background stream, long-prompt interval in
 * milliseconds, long-prompt length in characters, measured seconds, label of the row.
 */
public final class SplitLoadBenchmark {

    private static final String STORY = "Once upon a time, there was a little girl named Lily. She liked to play "
            + "in the park with her friends and her big red ball. ";

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI streamUrl;
    private final List<Long> betweenTokensNanos = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> firstTokenNanos = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong tokens = new AtomicLong();
    private volatile boolean measuring;
    private volatile boolean running = true;

    private SplitLoadBenchmark(URI baseUrl) {
        this.streamUrl = baseUrl.resolve("/v1/split/generations/stream");
    }

    public static void main(String[] args) throws Exception {
        URI baseUrl = URI.create(args[0]);
        int streams = Integer.parseInt(args[1]);
        int streamTokens = Integer.parseInt(args[2]);
        long intervalMillis = Long.parseLong(args[3]);
        int promptChars = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        String label = args[6];

        SplitLoadBenchmark benchmark = new SplitLoadBenchmark(baseUrl);
        String longPrompt = STORY.repeat(promptChars / STORY.length() + 1).substring(0, promptChars);
        System.err.println("Long prompt: " + benchmark.promptTokens(baseUrl, longPrompt) + " tokens");
        ExecutorService threads = Executors.newCachedThreadPool();
        for (int s = 0; s < streams; s++) {
            int stream = s;
            threads.execute(() -> benchmark.backgroundStream(stream, streamTokens));
        }

        // Warm-up: the background streams reach a steady state before anything is recorded.
        Thread.sleep(5_000);
        benchmark.measuring = true;
        long startNanos = System.nanoTime();
        long endNanos = startNanos + TimeUnit.SECONDS.toNanos(seconds);
        int arrivals = 0;
        while (System.nanoTime() < endNanos) {
            int seed = 1000 + arrivals++;
            threads.execute(() -> benchmark.longPrompt(longPrompt, seed));
            Thread.sleep(intervalMillis);
        }
        benchmark.measuring = false;
        double elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;
        benchmark.running = false;
        threads.shutdown();
        threads.awaitTermination(60, TimeUnit.SECONDS);

        System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.1f | %.1f | %.0f |%n", label,
                benchmark.firstTokenNanos.size(), percentile(benchmark.firstTokenNanos, 0.5),
                percentile(benchmark.firstTokenNanos, 0.99), percentile(benchmark.betweenTokensNanos, 0.5),
                percentile(benchmark.betweenTokensNanos, 0.99), benchmark.tokens.get() / elapsedSeconds);
        System.exit(0);
    }

    private void backgroundStream(int stream, int streamTokens) {
        long seed = stream;
        while (running) {
            String body = "{\"prompt\":\"Tom and his dog\",\"maxTokens\":" + streamTokens
                    + ",\"temperature\":0.8,\"seed\":" + seed++ + "}";
            long[] previous = {0};
            send(body, arrivalNanos -> {
                if (previous[0] != 0 && measuring) {
                    betweenTokensNanos.add(arrivalNanos - previous[0]);
                }
                previous[0] = arrivalNanos;
            });
        }
    }

    private void longPrompt(String prompt, int seed) {
        String body = "{\"prompt\":\"" + prompt + "\",\"maxTokens\":8,\"temperature\":0.8,\"seed\":" + seed + "}";
        long sentNanos = System.nanoTime();
        boolean[] first = {true};
        send(body, arrivalNanos -> {
            if (first[0]) {
                first[0] = false;
                firstTokenNanos.add(arrivalNanos - sentNanos);
            }
        });
    }

    /** Returns the prompt's token count from one non-streaming request, which also warms the model up. */
    private String promptTokens(URI baseUrl, String prompt) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/v1/split/generations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\",\"maxTokens\":1}")).build();
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("\"promptTokens\":(\\d+)").matcher(body);
        return count.find() ? count.group(1) : "unknown (" + body + ")";
    }

    /** Sends one streaming request and calls {@code onToken} with the arrival time of each token event. */
    private void send(String body, java.util.function.LongConsumer onToken) {
        HttpRequest request = HttpRequest.newBuilder(streamUrl).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": "
                        + String.join("\n", response.body().toList()));
            }
            String event = "";
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.startsWith("event:")) {
                    event = line.substring("event:".length()).trim();
                } else if (line.startsWith("data:") && event.equals("token")) {
                    onToken.accept(System.nanoTime());
                    if (measuring) {
                        tokens.incrementAndGet();
                    }
                } else if (line.startsWith("data:") && !event.equals("token")) {
                    if (event.equals("error")) {
                        throw new IllegalStateException("Generation failed: " + line);
                    }
                    return;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the {@code quantile} of {@code nanos} in milliseconds (nearest rank). */
    private static double percentile(List<Long> nanos, double quantile) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int rank = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(rank, 0)) / 1e6;
    }
}
