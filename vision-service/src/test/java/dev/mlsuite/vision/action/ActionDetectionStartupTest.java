package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ActionDetectionStartupTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withUserConfiguration(ActionDetectionConfiguration.class);

    @ParameterizedTest
    @CsvSource({
            "score-threshold, 1.5",
            "nms-iou-threshold, 0",
            "input-size, 100"})
    void invalidNanoDetSettingNamesProperty(String property, String value) {
        contextRunner.withPropertyValues("vision.action.detector.nanodet." + property + "=" + value)
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    while (failure.getCause() != null && !(failure instanceof IllegalArgumentException)) {
                        failure = failure.getCause();
                    }
                    assertThat(failure).isInstanceOf(IllegalArgumentException.class);
                    assertThat(failure.getMessage()).contains("vision.action.detector.nanodet." + property)
                            .contains(value);
                });
    }
}
