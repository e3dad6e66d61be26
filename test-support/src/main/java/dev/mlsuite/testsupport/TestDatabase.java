package dev.mlsuite.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL that tests of one JVM share, picked in this order: Testcontainers where a
 * Docker engine answers; the server at {@code 127.0.0.1:5432} (as on CI), in a fresh database
 * dropped when the JVM exits; otherwise an embedded PostgreSQL. There is no fallback without a
 * database: when none of the three starts, tests fail with the reason.
 *
 * <p>{@code TEST_POSTGRES_HOST}, {@code TEST_POSTGRES_PORT} and {@code TEST_POSTGRES_USER}
 * change the local server that is tried second.
 */
public record TestDatabase(String jdbcUrl, String username, String password, String kind) {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);

    private static TestDatabase shared;

    /** Returns the database of this JVM, starting or creating it on first use. */
    public static synchronized TestDatabase shared() {
        if (shared == null) {
            shared = select();
            log.info("Tests use PostgreSQL from {}: {}", shared.kind(), shared.jdbcUrl());
        }
        return shared;
    }

    private static TestDatabase select() {
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-postgres-stop"));
            return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    "Testcontainers");
        }

        String host = System.getenv().getOrDefault("TEST_POSTGRES_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("TEST_POSTGRES_PORT", "5432"));
        String user = System.getenv().getOrDefault("TEST_POSTGRES_USER", "postgres");
        if (portOpen(host, port)) {
            return freshLocalDatabase(host, port, user);
        }

        return embedded();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static boolean portOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static TestDatabase freshLocalDatabase(String host, int port, String user) {
        String name = "suite_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String adminUrl = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        execute(adminUrl, user, "CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> execute(adminUrl, user, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"),
                "test-database-drop"));
        return new TestDatabase("jdbc:postgresql://" + host + ":" + port + "/" + name, user, "",
                "the local server at " + host + ":" + port);
    }

    private static void execute(String url, String user, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database statement failed on " + url + ": " + sql, e);
        }
    }

    private static TestDatabase embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    log.warn("Embedded test PostgreSQL did not stop cleanly", e);
                }
            }, "test-postgres-stop"));
            return new TestDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", "embedded PostgreSQL");
        } catch (IOException e) {
            throw new UncheckedIOException("No Docker engine, no PostgreSQL at 127.0.0.1:5432 and the embedded "
                    + "PostgreSQL failed to start; tests need one of them", e);
        }
    }
}
