package dev.mlsuite.testsupport;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points every Spring Boot test at a real PostgreSQL, chosen by {@link TestDatabase}, unless
 * the test or the environment already sets {@code spring.datasource.url}. Runs before the
 * starter's embedded-database fallback, which then stays off.
 *
 * <p>Test connection pools are kept small ({@value #TEST_POOL_SIZE} connections, unless the
 * test sets its own size) because some tests start several application contexts against one
 * server, whose {@code max_connections} is often the default of 100.
 */
public class TestDatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final int TEST_POOL_SIZE = 4;

    private static final String POOL_SIZE_PROPERTY = "spring.datasource.hikari.maximum-pool-size";
    private static final String MINIMUM_IDLE_PROPERTY = "spring.datasource.hikari.minimum-idle";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.datasource.url")) {
            return;
        }
        TestDatabase database = TestDatabase.shared();
        Map<String, Object> properties = new HashMap<>(Map.of(
                "spring.datasource.url", database.jdbcUrl(),
                "spring.datasource.username", database.username(),
                "spring.datasource.password", database.password()));
        if (!environment.containsProperty(POOL_SIZE_PROPERTY)) {
            properties.put(POOL_SIZE_PROPERTY, TEST_POOL_SIZE);
        }
        if (!environment.containsProperty(MINIMUM_IDLE_PROPERTY)) {
            properties.put(MINIMUM_IDLE_PROPERTY, 1);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("testDatabase", properties));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
