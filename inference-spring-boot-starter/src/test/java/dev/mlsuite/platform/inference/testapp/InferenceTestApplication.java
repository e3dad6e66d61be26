package dev.mlsuite.platform.inference.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.mlsuite.platform.inference.ModelRegistry;

/** A small service for the starter's tests: one endpoint that runs a request through a batcher. */
@SpringBootApplication
public class InferenceTestApplication {

    @Bean
    LinearTestModelFactory linearTestModelFactory() {
        return new LinearTestModelFactory();
    }

    @RestController
    static class PredictionController {

        private final ModelRegistry registry;

        PredictionController(ModelRegistry registry) {
            this.registry = registry;
        }

        @PostMapping("/predict/{model}")
        float[] predict(@PathVariable String model, @RequestBody float[] input) {
            return registry.<float[], float[]>batcher(model).predict(input);
        }
    }
}
