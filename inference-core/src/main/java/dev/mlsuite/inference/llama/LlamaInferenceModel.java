package dev.mlsuite.inference.llama;

import ai.djl.Device;
import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.generation.Generator;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.SequenceStateCodec;
import dev.mlsuite.inference.generation.TokenListener;
import dev.mlsuite.inference.hooks.Hooks;
import java.util.Objects;

/** A loaded LLaMA language model with its generator, in the form the model registry manages. */
public final class LlamaInferenceModel implements InferenceModel {

    private final String name;
    private final String version;
    private final Device device;
    private final long parameterCount;
    private final LanguageModel languageModel;
    private final Generator generator;
    private final SequenceStateCodec codec;

    LlamaInferenceModel(String name, String version, Device device, long parameterCount, LanguageModel languageModel) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.device = Objects.requireNonNull(device, "device");
        this.parameterCount = parameterCount;
        this.languageModel = Objects.requireNonNull(languageModel, "languageModel");
        this.generator = new Generator(languageModel);
        this.codec = new SequenceStateCodec(languageModel);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public long parameterCount() {
        return parameterCount;
    }

    public LanguageModel languageModel() {
        return languageModel;
    }

    public Generator generator() {
        return generator;
    }

    /** Returns the codec that moves unfinished sequences of this model between workers. */
    public SequenceStateCodec codec() {
        return codec;
    }

    /** Generates two greedy tokens after BOS. */
    @Override
    public void warmUp() {
        generator.generate("", SamplingSettings.greedy(2), Hooks.NONE, TokenListener.NONE);
    }

    @Override
    public void close() {
        languageModel.close();
    }
}
