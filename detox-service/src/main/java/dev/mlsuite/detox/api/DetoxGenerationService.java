package dev.mlsuite.detox.api;

import dev.mlsuite.detox.generation.DetoxModels;
import dev.mlsuite.detox.generation.GenerationOutcome;
import dev.mlsuite.detox.generation.Steering;
import dev.mlsuite.detox.generation.SteeringHook;
import dev.mlsuite.detox.persistence.GenerationRecord;
import dev.mlsuite.detox.persistence.GenerationRecordRepository;
import dev.mlsuite.detox.split.SplitGenerationService;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.SequenceState;
import dev.mlsuite.inference.generation.TokenListener;
import dev.mlsuite.platform.web.ApiException;
import dev.mlsuite.platform.web.TextFields;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates generation requests, generates with steering, scores the text and stores every
 * generation. With {@code detox.split.enabled} and the split roles on the service's model, the tokens
 * come from the continuous batcher in this instance's role (a prefill instance hands the steered
 * sequence to a decode instance); otherwise each request generates on its own thread.
 */
public class DetoxGenerationService {

    private static final Logger log = LoggerFactory.getLogger(DetoxGenerationService.class);

    /** Maximum sampling temperature a request may give. */
    static final float MAX_TEMPERATURE = 5f;

    private final DetoxModels models;
    private final DetoxProperties properties;
    private final GenerationRecordRepository repository;
    private final SplitGenerationService split; // null unless the split roles run the service's model

    public DetoxGenerationService(DetoxModels models, DetoxProperties properties,
            GenerationRecordRepository repository) {
        this(models, properties, repository, null);
    }

    /**
     * @param split the split roles, or null. They are used only when they run the service's own model and SAE.
     */
    public DetoxGenerationService(DetoxModels models, DetoxProperties properties,
            GenerationRecordRepository repository, SplitGenerationService split) {
        this.models = models;
        this.properties = properties;
        this.repository = repository;
        this.split = split != null && split.canSteer() ? split : null;
    }

    /** A validated request, ready to run. */
    public record Plan(String prompt, int[] promptTokens, SamplingSettings settings, Steering steering) {
    }

    /** Validates {@code request} and resolves defaults and steering; throws {@link ApiException} on bad input. */
    public Plan plan(GenerationRequest request) {
        checkPrompt(request.prompt());
        SamplingSettings settings = samplingSettings(request, properties.maxTokens());
        int[] promptTokens = models.languageModel().tokenizer().encode(request.prompt(), true);
        checkPromptTokens(promptTokens.length, models.languageModel().model().maxSequenceLength());
        return new Plan(request.prompt(), promptTokens, settings, steering(request.steering()));
    }

    /**
     * Rejects a missing or blank prompt, one longer than {@code detox.max-prompt-chars}, and one with a NUL
     * character, which the generation record could not store. Call it before tokenising, which costs time in
     * proportion to the length.
     */
    public void checkPrompt(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw ApiException.badRequest("empty-prompt", "The prompt is empty", prompt,
                    "Send a non-empty 'prompt' to continue.");
        }
        if (prompt.length() > properties.maxPromptChars()) {
            throw ApiException.tooLarge("The prompt has " + prompt.length() + " characters; the limit is "
                    + properties.maxPromptChars(), prompt.length(), "Shorten the prompt.");
        }
        TextFields.rejectNulCharacter("prompt", prompt);
    }

    /** Rejects a prompt of {@code promptTokens} tokens that leaves no room in a context of {@code context} tokens. */
    public static void checkPromptTokens(int promptTokens, int context) {
        if (promptTokens >= context) {
            throw ApiException.badRequest("prompt-too-long", "The prompt has " + promptTokens
                    + " tokens but the model's context holds " + context + " tokens, prompt and output together",
                    promptTokens, "Shorten the prompt to fewer than " + context + " tokens.");
        }
    }

    /**
     * Validates the sampling fields of {@code request} and fills in the defaults.
     *
     * @param maxTokensLimit largest {@code maxTokens} accepted; {@code detox.max-tokens} caps it too
     */
    public SamplingSettings samplingSettings(GenerationRequest request, int maxTokensLimit) {
        int limit = Math.min(maxTokensLimit, properties.maxTokens());
        int maxTokens = request.maxTokens() == null ? Math.min(properties.defaultMaxTokens(), limit)
                : request.maxTokens();
        if (maxTokens < 1 || maxTokens > limit) {
            throw ApiException.badRequest("max-tokens-out-of-range", "maxTokens must be in 1.." + limit + ", got "
                    + maxTokens, maxTokens, "Ask for at most " + limit + " tokens (settings detox.max-tokens and,"
                    + " for the split endpoints, detox.split.max-tokens).");
        }
        return checkedSettings(request, maxTokens);
    }

    private static SamplingSettings checkedSettings(GenerationRequest request, int maxTokens) {
        float temperature = request.temperature() == null ? 1f : request.temperature();
        float topP = request.topP() == null ? 1f : request.topP();
        int topK = request.topK() == null ? 0 : request.topK();
        checkTemperature("temperature", temperature);
        checkTopP("topP", topP);
        if (topK < 0) {
            throw ApiException.badRequest("invalid-top-k", "topK must be >= 0, got " + topK, topK,
                    "Use 0 to disable top-k sampling.");
        }
        long seed = request.seed() == null ? System.nanoTime() : request.seed();
        return SamplingSettings.builder().maxTokens(maxTokens).temperature(temperature).topP(topP).topK(topK)
                .seed(seed).build();
    }

    /**
     * Rejects a temperature outside 0..{@value #MAX_TEMPERATURE}.
     *
     * @param field the field as the request names it
     */
    static void checkTemperature(String field, float temperature) {
        if (!(temperature >= 0f && temperature <= MAX_TEMPERATURE)) {
            throw ApiException.badRequest("invalid-temperature", field + " must be in 0.." + MAX_TEMPERATURE
                    + ", got " + temperature, temperature, "Use 0 for greedy decoding or a value up to "
                    + MAX_TEMPERATURE + " in '" + field + "'.");
        }
    }

    /**
     * Rejects a nucleus sampling mass outside (0, 1].
     *
     * @param field the field as the request names it: {@code topP}, or {@code top_p} in the OpenAI subset
     */
    static void checkTopP(String field, float topP) {
        if (!(topP > 0f && topP <= 1f)) {
            throw ApiException.badRequest("invalid-top-p", field + " must be in (0, 1], got " + topP, topP,
                    "Use 1 in '" + field + "' to disable nucleus sampling.");
        }
    }

    /**
     * Resolves a request's steering: its tier or strength, its features or the toxicity features, and
     * scale-by-activation; null means tier {@code none}.
     *
     * @throws ApiException on an unknown tier or feature, a strength out of range, or both tier and strength
     */
    public Steering steering(GenerationRequest.SteeringRequest request) {
        int[] defaultFeatures = models.features().ids();
        boolean scale = properties.scaleByActivation();
        if (request == null) {
            return new Steering("none", properties.tiers().getOrDefault("none", 0f), defaultFeatures, scale);
        }
        if (request.tier() != null && request.strength() != null) {
            throw ApiException.badRequest("ambiguous-steering", "Steering gives both tier '" + request.tier()
                    + "' and strength " + request.strength(), request.tier(), "Send either 'tier' or 'strength'.");
        }

        int[] features = defaultFeatures;
        if (request.features() != null) {
            if (request.features().isEmpty()) {
                throw ApiException.badRequest("unknown-feature", "The feature list is empty", List.of(),
                        "Omit 'features' to use the toxicity features, or list SAE feature ids.");
            }
            int dSae = models.sae().dSae();
            for (Integer feature : request.features()) {
                if (feature == null || feature < 0 || feature >= dSae) {
                    throw ApiException.badRequest("unknown-feature", "Feature " + feature + " does not exist; the SAE"
                            + " has features 0.." + (dSae - 1), feature,
                            "Use ids from GET /v1/features or in 0.." + (dSae - 1) + ".");
                }
            }
            features = request.features().stream().mapToInt(Integer::intValue).distinct().toArray();
        }
        if (request.scaleByActivation() != null) {
            scale = request.scaleByActivation();
        }

        if (request.strength() != null) {
            float strength = request.strength();
            if (!(strength >= 0f && strength <= properties.maxStrength())) {
                throw ApiException.badRequest("strength-out-of-range", "Steering strength must be in 0.."
                        + properties.maxStrength() + ", got " + strength, strength,
                        "Use a tier or a strength up to " + properties.maxStrength()
                                + " (setting detox.max-strength).");
            }
            return new Steering(null, strength, features, scale);
        }

        String tier = request.tier() == null ? "none" : request.tier();
        Float strength = properties.tiers().get(tier);
        if (strength == null) {
            throw ApiException.badRequest("unknown-tier", "Unknown steering tier '" + tier + "'", tier,
                    "Use one of " + properties.tiers().keySet() + ".");
        }
        return new Steering(tier, strength, features, scale);
    }

    /**
     * Runs {@code plan}, sends each token to {@code listener}, stops early when {@code cancelled}
     * turns true, and stores the generation; {@link #start} and {@link Started#await} in one call.
     */
    public GenerationOutcome generate(Plan plan, String endpoint, TokenListener listener, BooleanSupplier cancelled) {
        return start(plan, endpoint, listener).await(cancelled);
    }

    /**
     * Admits {@code plan} and starts it when it runs through the split roles, whose decode loop has a
     * bounded queue. Call it before a streaming response is committed, so that a full queue becomes a 429
     * response and not a failed stream.
     *
     * @throws ApiException 429 when the split roles have no room for the request
     */
    public Started start(Plan plan, String endpoint, TokenListener listener) {
        return start(UUID.randomUUID(), plan, endpoint, listener);
    }

    /**
     * Admits and starts {@code plan} as {@link #start(Plan, String, TokenListener)} does, under an id the
     * caller chose, so that it can name the stored generation in the tokens it streams.
     */
    public Started start(UUID id, Plan plan, String endpoint, TokenListener listener) {
        SplitGenerationService.PendingGeneration pending = split == null ? null
                : split.begin(id.toString(), plan.promptTokens(), plan.settings(), plan.steering(), listener);
        return new Started(id, plan, endpoint, listener, pending);
    }

    /** An admitted generation; {@link #await} runs or waits for it, then scores and stores it. */
    public final class Started {
        private final UUID id;
        private final Plan plan;
        private final String endpoint;
        private final TokenListener listener;
        private final SplitGenerationService.PendingGeneration pending; // null: generates on the caller's thread

        private Started(UUID id, Plan plan, String endpoint, TokenListener listener,
                SplitGenerationService.PendingGeneration pending) {
            this.id = id;
            this.plan = plan;
            this.endpoint = endpoint;
            this.listener = listener;
            this.pending = pending;
        }

        public UUID id() {
            return id;
        }

        /** Runs or waits for the generation, stops it when {@code cancelled} turns true, and stores it. */
        public GenerationOutcome await(BooleanSupplier cancelled) {
            GenerationOutcome outcome = pending == null ? generateHere(id, plan, listener, cancelled)
                    : splitOutcome(id, plan, pending.await(cancelled));
            return finish(plan, endpoint, outcome);
        }
    }

    private GenerationOutcome finish(Plan plan, String endpoint, GenerationOutcome outcome) {
        UUID id = outcome.id();
        store(plan, endpoint, outcome);
        log.info("Generation {} ({}): {} tokens, finish {}, toxicity {}, steering {} {}{}", id, endpoint,
                outcome.tokens().length, outcome.finishReason(), String.format("%.3f", outcome.toxicity()),
                plan.steering().tier(), plan.steering().strength(),
                outcome.decodedBy() == null ? "" : ", decoded by " + outcome.decodedBy());
        return outcome;
    }

    private GenerationOutcome generateHere(UUID id, Plan plan, TokenListener listener, BooleanSupplier cancelled) {
        Generator generator = models.languageModel().generator();
        SteeringHook hook = new SteeringHook(models.sae(), plan.steering().features(), plan.steering().strength(),
                plan.steering().scaleByActivation());
        long startNanos = System.nanoTime();
        try (SequenceState state = generator.prefill(
                new Generator.PrefillRequest(plan.promptTokens(), plan.settings(), hook.hooks(), listener))) {
            long prefillNanos = System.nanoTime() - startNanos;
            while (!state.isFinished()) {
                if (cancelled.getAsBoolean()) {
                    state.cancel();
                }
                generator.decode(List.of(state));
            }
            long totalNanos = System.nanoTime() - startNanos;
            String text = state.text();
            double toxicity = models.scorer().score(text);
            return new GenerationOutcome(id, text, state.generatedTokens(), plan.promptTokens().length,
                    state.finishReason(), toxicity, plan.steering(), prefillNanos / 1e6,
                    (totalNanos - prefillNanos) / 1e6, totalNanos / 1e6, null);
        }
    }

    private GenerationOutcome splitOutcome(UUID id, Plan plan, SplitGenerationService.SplitResult result) {
        double toxicity = models.scorer().score(result.text());
        return new GenerationOutcome(id, result.text(), result.tokens(), plan.promptTokens().length,
                result.finishReason(), toxicity, plan.steering(), result.firstTokenNanos() / 1e6,
                (result.totalNanos() - result.firstTokenNanos()) / 1e6, result.totalNanos() / 1e6,
                result.decodedBy());
    }

    /**
     * Stores {@code outcome}. A NUL character in the generated text, which the model can emit as its
     * byte-fallback token {@code <0x00>} and PostgreSQL cannot store in a {@code text} column, is stored as
     * U+FFFD; the response keeps the text as generated.
     */
    void store(Plan plan, String endpoint, GenerationOutcome outcome) {
        SamplingSettings settings = plan.settings();
        String features = Arrays.stream(plan.steering().features()).mapToObj(Integer::toString)
                .collect(Collectors.joining(","));
        repository.save(new GenerationRecord(outcome.id(), Instant.now(), endpoint,
                models.languageModel().model().name(), sha256(plan.prompt()), plan.prompt(),
                plan.promptTokens().length, settings.maxTokens(), settings.temperature(), settings.topP(),
                settings.topK(), settings.seed(), plan.steering().tier(), plan.steering().strength(), features,
                outcome.text().replace('\u0000', '\uFFFD'), outcome.tokens().length,
                FinishReasons.name(outcome.finishReason()),
                outcome.toxicity(), outcome.prefillMillis(), outcome.decodeMillis(), outcome.totalMillis()));
    }

    /** Returns the stored generation {@code id}. */
    public GenerationRecord find(UUID id) {
        return repository.findById(id).orElseThrow(() -> ApiException.notFound("generation-not-found",
                "Generation " + id + " not found", id.toString(), "Use an id returned by POST /v1/generations."));
    }

    /** Returns the largest {@code maxTokens} a request may give ({@code detox.max-tokens}). */
    public int maxTokens() {
        return properties.maxTokens();
    }

    public DetoxModels models() {
        return models;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
