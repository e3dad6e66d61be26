package dev.mlsuite.vision.splat.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits and resources of the splat-to-mesh endpoint ({@code vision.meshes.*}).
 *
 * @param maxSplatBytes largest accepted {@code splat} upload in bytes; the servlet multipart limits
 *     ({@code spring.servlet.multipart.max-file-size} and {@code max-request-size}) must be at least as large
 * @param maxCamerasBytes largest accepted {@code cameras} upload in bytes
 * @param maxGaussians largest number of Gaussians in one scene
 * @param maxCameras largest number of cameras in one {@code cameras.json}
 * @param maxImagePixels largest {@code imageWidth * imageHeight} a request may ask for
 * @param maxVoxelResolution largest {@code voxelResolution} a request may ask for
 * @param threads CPU threads of the reconstruction pool shared by all mesh jobs; 0 means all processors
 */
@ConfigurationProperties("vision.meshes")
public record MeshProperties(
        @DefaultValue("268435456") long maxSplatBytes,
        @DefaultValue("4194304") long maxCamerasBytes,
        @DefaultValue("1000000") int maxGaussians,
        @DefaultValue("2000") int maxCameras,
        @DefaultValue("1048576") long maxImagePixels,
        @DefaultValue("384") int maxVoxelResolution,
        @DefaultValue("0") int threads) {

    public MeshProperties {
        if (maxSplatBytes < 1 || maxCamerasBytes < 1 || maxGaussians < 1 || maxCameras < 1 || maxImagePixels < 1) {
            throw new IllegalArgumentException("vision.meshes byte, Gaussian, camera and pixel limits must be positive, got "
                    + maxSplatBytes + ", " + maxCamerasBytes + ", " + maxGaussians + ", " + maxCameras + ", "
                    + maxImagePixels);
        }
        if (maxVoxelResolution < 8 || maxVoxelResolution > 512) {
            throw new IllegalArgumentException(
                    "vision.meshes.max-voxel-resolution must be 8..512, got " + maxVoxelResolution);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("vision.meshes.threads must not be negative, got " + threads);
        }
    }

    /** Returns the configured thread count, or the number of available processors for 0. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
