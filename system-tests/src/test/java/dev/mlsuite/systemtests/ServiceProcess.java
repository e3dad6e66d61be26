package dev.mlsuite.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One packaged Spring Boot application started with {@code java -jar} on a free port, its
 * output written to a log file. {@link #close()} stops it with SIGTERM and, after 20 s,
 * SIGKILL.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);

    private final String name;
    private final int port;
    private final Path logFile;
    private final Process process;

    private ServiceProcess(String name, int port, Path logFile, Process process) {
        this.name = name;
        this.port = port;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Starts the jar of {@code module} under {@code suiteRoot}.
     *
     * @param environment variables added to this JVM's environment, e.g. the port and database URL
     * @param heap maximum heap, e.g. {@code 512m}
     */
    static ServiceProcess start(Path suiteRoot, String module, int port, Map<String, String> environment, String heap,
            Path logDirectory) {
        Path jar = findJar(suiteRoot.resolve(module).resolve("target"), module);
        try {
            Files.createDirectories(logDirectory);
            Path logFile = logDirectory.resolve(module + ".log");
            List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx" + heap,
                    // C1 only: these runs are short, so faster start-up beats peak speed.
                    "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));

            // Services resolve their default model folders (models/...) against the repository root.
            ProcessBuilder builder = new ProcessBuilder(command).directory(suiteRoot.toFile())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            log.info("Started {} (pid {}) on port {} from {}, log {}", module, process.pid(), port, jar, logFile);

            ServiceProcess started = new ServiceProcess(module, port, logFile, process);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-" + module));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to start " + jar, e);
        }
    }

    /** Returns a TCP port that was free a moment ago on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on this machine", e);
        }
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Waits until {@code /actuator/health/readiness} returns 200, failing early when the
     * process exits and with the log's last lines when {@code timeout} passes. The probes use
     * their own client, because a request sent on a connection right after a health response
     * occasionally got no response from the gateway (Reactor Netty 1.3.6).
     */
    void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with code " + process.exitValue() + " before it was ready. "
                        + "Last lines of " + logFile + ":\n" + logTail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    log.info("{} is ready on port {}", name, port);
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(500);
        }
        throw new AssertionError(name + " was not ready within " + timeout.toSeconds() + " s. Last lines of "
                + logFile + ":\n" + logTail());
    }

    /** Stops the process and waits for it to exit. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                log.warn("{} (pid {}) did not stop within 20 s after SIGTERM, killing it", name, process.pid());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Finds the repackaged application jar, skipping the plain and sources jars. */
    private static Path findJar(Path targetDirectory, String module) {
        try (Stream<Path> files = Files.list(targetDirectory)) {
            List<Path> jars = files.filter(file -> {
                String fileName = file.getFileName().toString();
                return fileName.startsWith(module + "-") && fileName.endsWith(".jar")
                        && !fileName.endsWith("-plain.jar") && !fileName.endsWith("-sources.jar")
                        && !fileName.endsWith("-javadoc.jar");
            }).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("Expected one application jar of " + module + " in " + targetDirectory
                        + ", found " + jars + ". Package the module first: ./mvnw -pl " + module + " -am package");
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("No build output of " + module + " in " + targetDirectory
                    + ". Package the module first: ./mvnw -pl " + module + " -am package", e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
