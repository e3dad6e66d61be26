package dev.mlsuite.detection.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextPreprocessorTest {

    private static final String SENTENCE = "The 3 students were running quickly to 2 classes in 2023!";

    private static String apply(PreprocessingSettings settings, String text) {
        try (TextPreprocessor preprocessor = new TextPreprocessor(settings)) {
            return preprocessor.apply(text);
        }
    }

    @Test
    void allStepsWithPorterStemmer() {
        assertThat(apply(PreprocessingSettings.ALL_STEPS, SENTENCE)).isEqualTo("student were run quickli class");
    }

    @Test
    void allStepsWithSnowballStemmer() {
        PreprocessingSettings settings = new PreprocessingSettings(true, true, true, true, Stemmer.SNOWBALL_ENGLISH,
                true);

        assertThat(apply(settings, SENTENCE)).isEqualTo("student were run quick class");
    }

    @Test
    void noStepsKeepsTextUnchanged() {
        String text = "  Mixed CASE, 42 digits\tand\n\nspacing.  ";

        assertThat(apply(PreprocessingSettings.NONE, text)).isEqualTo(text);
    }

    @Test
    void wordSplittingDropsPunctuation() {
        PreprocessingSettings settings = new PreprocessingSettings(true, false, false, false, Stemmer.NONE, false);

        assertThat(apply(settings, "Hello, world! It's   fine.\n(Really)")).isEqualTo("Hello world It's fine Really");
    }

    @Test
    void stopWordsIgnoreCaseWithoutLowercasing() {
        PreprocessingSettings settings = new PreprocessingSettings(true, false, true, false, Stemmer.NONE, true);

        assertThat(apply(settings, "The Cat and THE Dog")).isEqualTo("Cat Dog");
    }

    @Test
    void digitRemovalDropsNumberWords() {
        PreprocessingSettings settings = new PreprocessingSettings(true, true, false, true, Stemmer.NONE, true);

        assertThat(apply(settings, "GPT4 wrote 300 words in 2 minutes")).isEqualTo("gpt wrote words in minutes");
    }

    @Test
    void lowercaseAndWhitespaceWithoutSplitting() {
        PreprocessingSettings settings = new PreprocessingSettings(false, true, false, false, Stemmer.NONE, true);

        assertThat(apply(settings, "  Hello,\t\tWORLD 42\n")).isEqualTo("hello, world 42");
    }

    @Test
    void digitRemovalWithoutSplitting() {
        PreprocessingSettings settings = new PreprocessingSettings(false, false, false, true, Stemmer.NONE, false);

        assertThat(apply(settings, "abc123 def 45")).isEqualTo("abc def ");
    }

    @Test
    void emptyTextStaysEmpty() {
        assertThat(apply(PreprocessingSettings.ALL_STEPS, "")).isEmpty();
        assertThat(apply(PreprocessingSettings.ALL_STEPS, "the of and 12")).isEmpty();
    }

    @Test
    void stemmingWithoutSplittingIsRejected() {
        assertThatThrownBy(() -> new PreprocessingSettings(false, true, false, false, Stemmer.PORTER, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("splitWords");
    }

    @Test
    void stopWordsWithoutSplittingAreRejected() {
        assertThatThrownBy(() -> new PreprocessingSettings(false, true, true, false, Stemmer.NONE, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("removeStopWords=true");
    }
}
