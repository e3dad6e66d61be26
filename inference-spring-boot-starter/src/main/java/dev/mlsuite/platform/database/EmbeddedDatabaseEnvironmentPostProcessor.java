package dev.mlsuite.platform.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded PostgreSQL when no database URL is configured, so that a service runs
 * on a laptop with nothing installed. {@code SPRING_DATASOURCE_URL} (or
 * {@code spring.datasource.url}) always wins; {@code suite.database.embedded.enabled=false}
 * turns the fallback off, and the service then fails at start-up without a database.
 *
 * <p>The data directory is {@code suite.database.embedded.data-directory}, by default
 * {@code data/postgres-<application name>}, so data survives a restart.
 */
public class EmbeddedDatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    public static final String ENABLED_PROPERTY = "suite.database.embedded.enabled";
    public static final String DATA_DIRECTORY_PROPERTY = "suite.database.embedded.data-directory";
    public static final String PORT_PROPERTY = "suite.database.embedded.port";

    private static EmbeddedPostgres running;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.datasource.url")
                || !environment.getProperty(ENABLED_PROPERTY, Boolean.class, true)) {
            return;
        }

        String applicationName = environment.getProperty("spring.application.name", "service");
        Path dataDirectory = Path.of(environment.getProperty(DATA_DIRECTORY_PROPERTY, "data/postgres-" + applicationName));
        int port = environment.getProperty(PORT_PROPERTY, Integer.class, 0);
        EmbeddedPostgres postgres = start(dataDirectory, port);

        String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        environment.getPropertySources().addFirst(new MapPropertySource("embeddedPostgres", Map.of(
                "spring.datasource.url", url,
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "")));
    }

    private static synchronized EmbeddedPostgres start(Path dataDirectory, int port) {
        if (running != null) {
            return running;
        }
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false);
            if (port > 0) {
                builder.setPort(port);
            }
            running = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to start the embedded PostgreSQL in " + dataDirectory.toAbsolutePath()
                    + "; set SPRING_DATASOURCE_URL to use an existing server, or free that directory", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabaseEnvironmentPostProcessor::stop,
                "embedded-postgres-stop"));
        return running;
    }

    private static synchronized void stop() {
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (IOException e) {
            // The JVM is exiting; the next start recovers the data directory.
        }
        running = null;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
