package dev.mlsuite.platform.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one embedded PostgreSQL as a stand-alone process for {@code run-local.sh}, so that all
 * services share one server (one schema each), as they do with docker-compose.
 *
 * <p>Arguments: {@code <port> <data directory>}. Stops on SIGTERM or Ctrl-C.
 */
public final class EmbeddedPostgresServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private EmbeddedPostgresServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("Usage: EmbeddedPostgresServer <port> <data directory>");
        }
        int port = Integer.parseInt(args[0]);
        Path dataDirectory = Path.of(args[1]);
        Files.createDirectories(dataDirectory);

        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .start();
        log.info("Embedded PostgreSQL ready on 127.0.0.1:{} (data in {})", port, dataDirectory.toAbsolutePath());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
                log.info("Embedded PostgreSQL stopped");
            } catch (Exception e) {
                log.warn("Embedded PostgreSQL did not stop cleanly", e);
            }
            stopped.countDown();
        }, "embedded-postgres-stop"));
        stopped.await();
    }
}
