package dev.mlsuite.platform;

import java.nio.file.Path;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.converter.Converter;

/**
 * Binds {@link Path} configuration properties such as {@code inference.models.<name>.path} with
 * {@link Path#of}, relative to the working directory. Spring's default conversion goes through
 * the web application's resource loader, which read {@code models/detection} as a servlet
 * context path and rejected {@code ../models/detection} in the detection service.
 */
@AutoConfiguration
public class PathBindingAutoConfiguration {

    @Bean
    @ConfigurationPropertiesBinding
    static Converter<String, Path> fileSystemPathConverter() {
        return new FileSystemPathConverter();
    }

    /** Converts a property value with {@link Path#of}. */
    static final class FileSystemPathConverter implements Converter<String, Path> {

        @Override
        public Path convert(String source) {
            return Path.of(source.trim());
        }
    }
}
