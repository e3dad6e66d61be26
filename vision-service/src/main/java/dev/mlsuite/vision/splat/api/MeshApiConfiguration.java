package dev.mlsuite.vision.splat.api;

import java.util.concurrent.ForkJoinPool;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mlsuite.vision.mesh.SplatMeshPipeline;

/** Beans of the splat-to-mesh API: its limits and the thread pool shared by all mesh jobs. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MeshProperties.class)
public class MeshApiConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    public ForkJoinPool meshReconstructionPool(MeshProperties properties) {
        return new ForkJoinPool(properties.effectiveThreads());
    }

    @Bean
    public SplatMeshPipeline splatMeshPipeline(ForkJoinPool meshReconstructionPool) {
        return new SplatMeshPipeline(meshReconstructionPool);
    }
}
