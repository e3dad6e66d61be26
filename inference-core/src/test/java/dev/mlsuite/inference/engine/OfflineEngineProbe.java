package dev.mlsuite.inference.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Child-process entry point of {@link InferenceEngineOfflineTest}: records every URI that Java's
 * networking asks a proxy for, starts the engine with the cache folder given as the first argument,
 * runs one tensor operation and prints the results on standard output.
 */
public final class OfflineEngineProbe {

    private OfflineEngineProbe() {
    }

    public static void main(String[] args) {
        List<URI> requests = new CopyOnWriteArrayList<>();
        ProxySelector original = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                requests.add(uri);
                return original.select(uri);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                requests.add(uri);
            }
        });

        InferenceEngine engine = InferenceEngine.start(
                EngineSettings.defaults().withDevice(DeviceSetting.CPU).withCacheDirectory(Path.of(args[0])));
        try (NDManager manager = engine.newManager()) {
            NDArray sum = manager.create(new float[] {1f, 2f, 3.5f}).sum();
            System.out.println("offline=" + System.getProperty("ai.djl.offline"));
            System.out.println("sum=" + sum.getFloat());
        }
        System.out.println("requests=" + requests.size() + " " + requests);
    }
}
