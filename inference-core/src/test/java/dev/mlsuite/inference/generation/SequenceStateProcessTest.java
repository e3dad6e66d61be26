package dev.mlsuite.inference.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlsuite.inference.engine.TestEngine;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.llama.Llama2cModelLoader;
import dev.mlsuite.inference.llama.Stories260K;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hands a half-generated sequence to a fresh JVM, as a prefill worker would to a decode worker. */
class SequenceStateProcessTest {

    @Test
    void otherProcessContinuesWithSameTokens(@TempDir Path temp) throws Exception {
        SamplingSettings settings = SamplingSettings.builder().maxTokens(60).temperature(0.8f).topK(50).topP(0.9f)
                .repetitionPenalty(1.05f).seed(2024).stopStrings(List.of("THE END")).build();
        Path stateFile = temp.resolve("sequence.bin");
        String expectedTokens;

        try (LanguageModel language = Llama2cModelLoader.loadFolder(Stories260K.FOLDER, TestEngine.get(),
                Stories260K.SETTING)) {
            Generator generator = new Generator(language);
            GenerationResult uninterrupted = generator.generate("Once upon a time", settings, Hooks.NONE,
                    TokenListener.NONE);
            expectedTokens = Arrays.stream(uninterrupted.tokens()).mapToObj(Integer::toString)
                    .collect(Collectors.joining(","));

            int[] prompt = language.tokenizer().encode("Once upon a time", true);
            try (SequenceState state = generator.prefill(
                    new Generator.PrefillRequest(prompt, settings, Hooks.NONE, TokenListener.NONE))) {
                for (int step = 0; step < 25; step++) {
                    generator.decode(List.of(state));
                }
                assertThat(state.isFinished()).isFalse();
                Files.write(stateFile, new SequenceStateCodec(language).serialize(state));
            }
        }

        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), RestoreSequenceProbe.class.getName(),
                stateFile.toString()).redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);

        assertThat(exited).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("tokens=" + expectedTokens + "\n");
    }
}
