package dev.mlsuite.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceEngineTest {

    @Test
    void cpuSettingSelectsCpu() {
        InferenceEngine engine = TestEngine.get();

        InferenceEngine cpu = InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.CPU));

        assertThat(cpu.device()).isEqualTo(Device.cpu());
        assertThat(cpu.engineVersion()).isEqualTo(engine.engineVersion());
    }

    @Test
    void autoSettingFollowsVisibleGpus() {
        InferenceEngine auto = InferenceEngine.start(EngineSettings.defaults());

        Device expected = auto.gpuCount() > 0 ? Device.gpu() : Device.cpu();
        assertThat(auto.device()).isEqualTo(expected);
    }

    @Test
    void gpuSettingFailsWithoutGpu() {
        InferenceEngine engine = TestEngine.get();
        org.junit.jupiter.api.Assumptions.assumeTrue(engine.gpuCount() == 0, "this machine has a GPU");

        assertThatThrownBy(() -> InferenceEngine.start(EngineSettings.defaults().withDevice(DeviceSetting.GPU)))
                .isInstanceOf(EngineStartupException.class)
                .hasMessageContaining("detects no GPU")
                .hasMessageContaining(EngineSettings.DEVICE_SETTING);
    }

    @Test
    void startSetsOfflineMode() {
        TestEngine.get();

        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    }

    @Test
    void missingNativeJarNamesDependency() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> NativeLibraryCheck.requireBundledLibrary(empty))
                    .isInstanceOf(EngineStartupException.class)
                    .hasMessageContaining("native/lib/pytorch.properties")
                    .hasMessageContaining("pytorch-native-cpu")
                    .hasMessageContaining("PYTORCH_LIBRARY_PATH");
        }
    }

    @Test
    void bundledNativeJarIsFound() {
        NativeLibraryCheck.BundledLibrary library =
                NativeLibraryCheck.requireBundledLibrary(InferenceEngine.class.getClassLoader());

        assertThat(library.flavor()).isEqualTo("cpu");
        assertThat(library.classifier()).isEqualTo("linux-x86_64");
        assertThat(library.libraries()).contains("libtorch_cpu.so");
    }

    @Test
    void deviceParsingRejectsUnknownValue() {
        assertThat(DeviceSetting.parse("GPU")).isEqualTo(DeviceSetting.GPU);
        assertThat(DeviceSetting.parse(" cpu ")).isEqualTo(DeviceSetting.CPU);
        assertThat(DeviceSetting.parse(null)).isEqualTo(DeviceSetting.AUTO);
        assertThatThrownBy(() -> DeviceSetting.parse("tpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tpu'")
                .hasMessageContaining(EngineSettings.DEVICE_SETTING);
    }

    @Test
    void missingModelFileNamesPathAndSetting(@TempDir Path temp) {
        Path missing = temp.resolve("absent.bin");

        assertThatThrownBy(() -> ModelFiles.requireReadableFile(missing, "inference.models.llama.path"))
                .isInstanceOf(EngineStartupException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("inference.models.llama.path");
    }
}
