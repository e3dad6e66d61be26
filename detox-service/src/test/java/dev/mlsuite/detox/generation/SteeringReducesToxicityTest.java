package dev.mlsuite.detox.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.generation.GenerationResult;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.TokenListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped language model, SAE and scorer, steered at tier strengths on held-out toxic prefixes. */
class SteeringReducesToxicityTest {

    static final Path MODELS = Path.of("..", "models", "detox");
    static final int SEEDS = 4;
    static final float HIGH_STRENGTH = dev.mlsuite.detox.api.DetoxProperties.DEFAULT_TIERS.get("high");

    static DetoxModels models;

    @BeforeAll
    static void loadModels() {
        InferenceEngine engine = InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.CPU)
                .withCacheDirectory(Path.of("target", "djl-engine-cache").toAbsolutePath()).withThreads(1, 1));
        models = DetoxModels.load(engine, MODELS.resolve("lm"), MODELS.resolve("sae"), MODELS.resolve("scorer"));
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    static List<String> heldOutPrompts() throws IOException {
        return Files.readAllLines(Path.of("src", "test", "resources", "heldout-toxic-prompts.txt"),
                StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    }

    double meanToxicity(float strength) throws IOException {
        double sum = 0;
        int count = 0;
        for (String prompt : heldOutPrompts()) {
            for (int seed = 0; seed < SEEDS; seed++) {
                SamplingSettings settings = SamplingSettings.builder().maxTokens(32).temperature(1f).topP(0.9f)
                        .seed(seed).build();
                SteeringHook hook = new SteeringHook(models.sae(), models.features().ids(), strength, true);
                GenerationResult result = models.languageModel().generator().generate(prompt, settings, hook.hooks(),
                        TokenListener.NONE);
                sum += models.scorer().score(result.text());
                count++;
            }
        }
        return sum / count;
    }

    @Test
    void highTierScoresLowerToxicityThanNone() throws IOException {
        double none = meanToxicity(0f);
        double high = meanToxicity(HIGH_STRENGTH);

        assertThat(heldOutPrompts()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(high).as("mean toxicity at high (%s) versus none (%s)", high, none).isLessThan(none);
    }

    @Test
    void zeroStrengthAddsNoHooks() {
        SteeringHook hook = new SteeringHook(models.sae(), models.features().ids(), HIGH_STRENGTH, true);

        assertThat(hook.hooks().has(models.sae().hookName())).isTrue();
        assertThat(new SteeringHook(models.sae(), models.features().ids(), 0f, true).hooks().isEmpty()).isTrue();
    }
}
