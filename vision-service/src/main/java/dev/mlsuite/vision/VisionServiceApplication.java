package dev.mlsuite.vision;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Detects and labels human actions in video, reconstructs meshes from Gaussian splats and turns images into Gaussian tokens. */
@SpringBootApplication
public class VisionServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(VisionServiceApplication.class, args);
    }
}
