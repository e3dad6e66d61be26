package dev.mlsuite.platform.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mlsuite.inference.engine.DeviceSetting;
import dev.mlsuite.inference.engine.EngineSettings;
import dev.mlsuite.platform.inference.testapp.LinearTestModel;
import dev.mlsuite.platform.inference.testapp.LinearTestModelFactory;

/** Start-up checks, readiness while warming up and shutdown, without a web server or database. */
class ModelRegistryStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(InferenceAutoConfiguration.class))
            .withUserConfiguration(FactoryConfiguration.class);

    @Test
    void missingModelFileFailsStartup(@TempDir Path directory) {
        Path missing = directory.resolve("weights.safetensors");

        runner.withPropertyValues("inference.models.detector.type=test-linear",
                "inference.models.detector.path=" + missing)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining(missing.toAbsolutePath().toString())
                            .hasMessageContaining("inference.models.detector.path");
                });
    }

    @Test
    void existingModelFileIsAccepted(@TempDir Path directory) {
        runner.withPropertyValues("inference.models.detector.type=test-linear",
                "inference.models.detector.path=" + directory)
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void unknownTypeFailsStartup() {
        runner.withPropertyValues("inference.models.detector.type=gpt-17")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("'gpt-17'")
                            .hasMessageContaining("inference.models.detector.type")
                            .hasMessageContaining("test-linear");
                });
    }

    @Test
    void gpuWithoutGpuFailsStartup() {
        // The CPU build of the PyTorch native library is on the test classpath, so the engine detects no GPU.
        runner.withPropertyValues("inference.models.detector.type=test-linear",
                "inference.models.detector.device=gpu")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("Model 'detector' requests device gpu")
                            .hasMessageContaining("inference.models.detector.device");
                });
    }

    @Test
    void modelInheritsGlobalDevice() {
        runner.withPropertyValues("inference.device=cpu", "inference.load-in-background=false",
                "inference.models.detector.type=test-linear")
                .run(context -> assertThat(context.getBean(LinearTestModelFactory.class).model("detector").device())
                        .isEqualTo(ai.djl.Device.cpu()));
    }

    @Test
    void engineSettingsFollowProperties() {
        runner.withPropertyValues("inference.device=cpu", "inference.intra-op-threads=2",
                "inference.inter-op-threads=1")
                .run(context -> {
                    EngineSettings settings = context.getBean(InferenceProperties.class).engineSettings();
                    assertThat(settings.device()).isEqualTo(DeviceSetting.CPU);
                    assertThat(settings.intraOpThreads()).hasValue(2);
                    assertThat(settings.interOpThreads()).hasValue(1);
                    assertThat(settings.cacheDirectory()).isEmpty();
                });
    }

    @Test
    void invalidBatchSizeFailsStartup() {
        runner.withPropertyValues("inference.batching.max-batch-size=0")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("maxBatchSize");
                });
    }

    @Test
    void modelOverridesInheritUnsetBatchingValues() {
        runner.withPropertyValues("inference.batching.max-delay=20ms", "inference.batching.queue-capacity=32",
                "inference.models.detector.type=test-linear", "inference.models.detector.device=cpu",
                "inference.models.detector.batching.max-batch-size=2")
                .run(context -> {
                    InferenceProperties.Batching batching = context.getBean(ModelRegistry.class)
                            .batcher("detector").batching();
                    assertThat(batching.maxBatchSize()).isEqualTo(2);
                    assertThat(batching.maxDelay()).isEqualTo(Duration.ofMillis(20));
                    assertThat(batching.queueCapacity()).isEqualTo(32);
                });
    }

    @Test
    void healthStaysDownUntilWarmUpSucceeds() {
        runner.withPropertyValues("inference.models.detector.type=test-linear",
                "inference.models.detector.device=cpu",
                "inference.models.detector.options.hold-warm-up=true")
                .run(context -> {
                    LinearTestModelFactory factory = context.getBean(LinearTestModelFactory.class);
                    InferenceHealthIndicator health = context.getBean(InferenceHealthIndicator.class);
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> registryState(context.getBean(ModelRegistry.class)) == ModelState.WARMING_UP);

                    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

                    factory.gates("detector").warmUp().countDown();
                    await().atMost(Duration.ofSeconds(60)).until(() -> health.health().getStatus().equals(Status.UP));
                    assertThat(factory.model("detector").warmUpCount()).isEqualTo(1);
                });
    }

    @Test
    void requestsBeforeWarmUpWaitAndThenRun() {
        runner.withPropertyValues("inference.models.detector.type=test-linear",
                "inference.models.detector.device=cpu",
                "inference.models.detector.options.hold-warm-up=true")
                .run(context -> {
                    ModelRegistry registry = context.getBean(ModelRegistry.class);
                    MicroBatcher<float[], float[]> batcher = registry.batcher("detector");

                    var output = batcher.submit(new float[] {1, 2, 3, 4});
                    await().atMost(Duration.ofSeconds(60)).until(() -> registryState(registry) == ModelState.WARMING_UP);
                    assertThat(output).isNotDone();

                    context.getBean(LinearTestModelFactory.class).gates("detector").warmUp().countDown();
                    assertThat(output.get(60, TimeUnit.SECONDS)).hasSize(2);
                });
    }

    @Test
    void shutdownClosesModels() {
        AtomicReference<LinearTestModel> model = new AtomicReference<>();
        runner.withPropertyValues("inference.load-in-background=false",
                "inference.models.detector.type=test-linear", "inference.models.detector.device=cpu")
                .run(context -> {
                    model.set(context.getBean(LinearTestModelFactory.class).model("detector"));
                    assertThat(registryState(context.getBean(ModelRegistry.class))).isEqualTo(ModelState.READY);
                    assertThat(model.get().isClosed()).isFalse();
                });

        assertThat(model.get().isClosed()).isTrue();
    }

    @Test
    void shutdownDuringWarmUpClosesModelAfterwards() {
        AtomicReference<LinearTestModel> model = new AtomicReference<>();
        AtomicReference<ModelRegistry> registry = new AtomicReference<>();
        runner.withPropertyValues("inference.models.detector.type=test-linear",
                "inference.models.detector.device=cpu",
                "inference.models.detector.options.hold-warm-up=true")
                .run(context -> {
                    LinearTestModelFactory factory = context.getBean(LinearTestModelFactory.class);
                    registry.set(context.getBean(ModelRegistry.class));
                    await().atMost(Duration.ofSeconds(60)).until(() -> registryState(registry.get()) == ModelState.WARMING_UP);
                    model.set(factory.model("detector"));

                    // Opens the gate while the context is closing, so warm-up ends after shutdown began.
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS)
                            .execute(() -> factory.gates("detector").warmUp().countDown());
                });

        assertThat(model.get().warmUpCount()).isEqualTo(1);
        assertThat(model.get().isClosed()).isTrue();
        assertThat(registryState(registry.get())).isEqualTo(ModelState.CLOSED);
    }

    @Test
    void blockingLoadFailureFailsStartup() {
        runner.withPropertyValues("inference.load-in-background=false",
                "inference.models.detector.type=test-linear",
                "inference.models.detector.options.fail-on-load=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).cause()
                            .hasMessageContaining("Model 'detector' failed to load")
                            .hasMessageContaining("Weights of test model 'detector' are unreadable")
                            .hasMessageContaining("inference.models.detector.*");
                });
    }

    private static ModelState registryState(ModelRegistry registry) {
        return registry.statuses().get(0).state();
    }

    @Configuration(proxyBeanMethods = false)
    static class FactoryConfiguration {

        @Bean
        LinearTestModelFactory linearTestModelFactory() {
            return new LinearTestModelFactory();
        }
    }
}
