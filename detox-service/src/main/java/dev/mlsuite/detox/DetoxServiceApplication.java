package dev.mlsuite.detox;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Generates text steered away from toxicity with sparse-autoencoder features. */
@SpringBootApplication
public class DetoxServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DetoxServiceApplication.class, args);
    }
}
