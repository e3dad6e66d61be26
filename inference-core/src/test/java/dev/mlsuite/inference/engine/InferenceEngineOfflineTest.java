package dev.mlsuite.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the engine in a fresh JVM with an empty cache folder, no {@code -Dai.djl.offline} flag and
 * every HTTP(S) proxy pointing at a local socket that counts connections, so any download attempt
 * would show up as a proxy request or a connection.
 */
class InferenceEngineOfflineTest {

    @Test
    void startsFromClassifierJarWithoutNetwork(@TempDir Path temp) throws Exception {
        Path cache = temp.resolve("engine-cache");
        Path djlCache = temp.resolve("djl-cache");
        Files.createDirectories(djlCache);

        try (ServerSocket proxy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            AtomicInteger proxyConnections = new AtomicInteger();
            Thread acceptor = new Thread(() -> acceptAndClose(proxy, proxyConnections));
            acceptor.setDaemon(true);
            acceptor.start();

            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx512m");
            command.add("-Dhttp.proxyHost=127.0.0.1");
            command.add("-Dhttp.proxyPort=" + proxy.getLocalPort());
            command.add("-Dhttps.proxyHost=127.0.0.1");
            command.add("-Dhttps.proxyPort=" + proxy.getLocalPort());
            command.add("-Dhttp.nonProxyHosts=");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(OfflineEngineProbe.class.getName());
            command.add(cache.toString());

            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("DJL_CACHE_DIR", djlCache.toString());
            builder.environment().remove("ENGINE_CACHE_DIR");
            builder.environment().remove("PYTORCH_LIBRARY_PATH");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean exited = process.waitFor(120, TimeUnit.SECONDS);

            assertThat(exited).as("probe exited").isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("offline=true");
            assertThat(output).contains("sum=6.5");
            assertThat(output).contains("requests=0 []");
            assertThat(proxyConnections.get()).as("connections to the proxy").isZero();
        }

        // DJL 0.36 names the folder <version>-<build date>-<flavor>-<classifier>, e.g. 2.7.1-20250812-cpu-linux-x86_64.
        Path extracted;
        try (var folders = Files.list(cache.resolve("pytorch"))) {
            extracted = folders.filter(p -> p.getFileName().toString().endsWith("-cpu-linux-x86_64"))
                    .findFirst().orElseThrow();
        }
        assertThat(extracted.getFileName().toString()).startsWith("2.7.1-");
        assertThat(extracted.resolve("libtorch_cpu.so")).isRegularFile();
        assertThat(extracted.resolve("libtorch.so")).isRegularFile();
        assertThat(extracted.resolve("0.36.0-libdjl_torch.so")).isRegularFile();
    }

    private static void acceptAndClose(ServerSocket server, AtomicInteger connections) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                connections.incrementAndGet();
            } catch (IOException e) {
                return;
            }
        }
    }
}
