package dev.mlsuite.inference.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

/**
 * Finds the PyTorch native library that DJL 0.36 extracts from the classifier jar
 * {@code ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64}, before DJL itself looks for it.
 *
 * <p>DJL reads {@code native/lib/pytorch.properties} from the classpath and, when it is present,
 * copies the files listed under {@code libraries} from {@code pytorch/<flavor>/<classifier>/} into
 * {@code <ENGINE_CACHE_DIR>/pytorch/<version>-<flavor>-<classifier>/}. Without that jar DJL would try
 * to download the library, which fails offline with a message that does not name the dependency.
 */
final class NativeLibraryCheck {

    static final String PROPERTIES_RESOURCE = "native/lib/pytorch.properties";
    static final String DEPENDENCY = "ai.djl.pytorch:pytorch-native-cpu:2.7.1 (classifier linux-x86_64)";
    static final String LIBRARY_PATH_VARIABLE = "PYTORCH_LIBRARY_PATH";

    private NativeLibraryCheck() {
    }

    /** Description of the bundled native library found on the classpath. */
    record BundledLibrary(String version, String flavor, String classifier, String[] libraries) {
    }

    /**
     * Returns the bundled library described on {@code classLoader}'s classpath.
     *
     * @throws EngineStartupException naming the missing resource, the dependency and the override
     */
    static BundledLibrary requireBundledLibrary(ClassLoader classLoader) {
        Properties properties = new Properties();
        try (InputStream in = classLoader.getResourceAsStream(PROPERTIES_RESOURCE)) {
            if (in == null) {
                throw new EngineStartupException("PyTorch native library not found: the classpath has no "
                        + PROPERTIES_RESOURCE + ". Add the dependency " + DEPENDENCY
                        + ", or set the environment variable " + LIBRARY_PATH_VARIABLE
                        + " to a folder that contains libtorch.so.");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new EngineStartupException("Failed to read " + PROPERTIES_RESOURCE + " from the classpath", e);
        }

        String flavor = properties.getProperty("flavor", "");
        String classifier = properties.getProperty("classifier", "");
        String[] libraries = properties.getProperty("libraries", "").split(",");
        String expectedClassifier = currentClassifier();
        if (!classifier.equals(expectedClassifier)) {
            throw new EngineStartupException("PyTorch native library on the classpath is built for " + classifier
                    + " but this machine is " + expectedClassifier + ". Use the pytorch-native-cpu jar with classifier "
                    + expectedClassifier + ", or set " + LIBRARY_PATH_VARIABLE + ".");
        }

        for (String library : libraries) {
            String resource = "pytorch/" + flavor + '/' + classifier + '/' + library.trim();
            if (classLoader.getResource(resource) == null) {
                throw new EngineStartupException("PyTorch native library file not found on the classpath: " + resource
                        + ". The jar " + DEPENDENCY + " looks incomplete; download it again or set "
                        + LIBRARY_PATH_VARIABLE + ".");
            }
        }
        return new BundledLibrary(properties.getProperty("version", ""), flavor, classifier, libraries);
    }

    /** Returns DJL's platform classifier of this JVM, e.g. {@code linux-x86_64}. */
    static String currentClassifier() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String osName;
        if (os.startsWith("linux")) {
            osName = "linux";
        } else if (os.startsWith("mac")) {
            osName = "osx";
        } else if (os.startsWith("win")) {
            osName = "win";
        } else {
            osName = os;
        }
        String arch = System.getProperty("os.arch", "");
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return osName + '-' + archName;
    }
}
