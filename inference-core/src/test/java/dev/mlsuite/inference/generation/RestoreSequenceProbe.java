package dev.mlsuite.inference.generation;

import dev.mlsuite.inference.engine.TestEngine;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.llama.Llama2cModelLoader;
import dev.mlsuite.inference.llama.Stories260K;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Child-process entry point of {@link SequenceStateProcessTest}: restores the serialised sequence
 * in the file given as the first argument, decodes it to the end and prints the generated tokens.
 */
public final class RestoreSequenceProbe {

    private RestoreSequenceProbe() {
    }

    public static void main(String[] args) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        try (LanguageModel language = Llama2cModelLoader.loadFolder(Stories260K.FOLDER, TestEngine.get(),
                Stories260K.SETTING)) {
            Generator generator = new Generator(language);
            try (SequenceState state = new SequenceStateCodec(language).restore(bytes, Hooks.NONE, TokenListener.NONE)) {
                while (!state.isFinished()) {
                    generator.decode(List.of(state));
                }
                String tokens = Arrays.stream(state.generatedTokens()).mapToObj(Integer::toString)
                        .collect(Collectors.joining(","));
                System.out.println("tokens=" + tokens);
                System.out.println("finish=" + state.finishReason());
            }
        }
    }
}
