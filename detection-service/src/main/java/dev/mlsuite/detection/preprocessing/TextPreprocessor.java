package dev.mlsuite.detection.preprocessing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.tartarus.snowball.ext.EnglishStemmer;

/**
 * Normalises text before it reaches the encoder, following the steps that arXiv 2405.16422
 * applies before its BERT classifier: word splitting, lowercasing, stop-word removal, digit
 * removal, stemming and whitespace normalisation, each switched by {@link PreprocessingSettings}.
 *
 * <p>Instances are safe for concurrent use because Lucene's {@link Analyzer} keeps one token
 * stream per thread.
 */
public final class TextPreprocessor implements AutoCloseable {

    private static final Pattern DIGITS = Pattern.compile("\\p{Nd}+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final CharArraySet STOP_WORDS = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);

    private final PreprocessingSettings settings;
    private final Analyzer analyzer;

    public TextPreprocessor(PreprocessingSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.analyzer = settings.splitWords() ? new WordAnalyzer(settings) : null;
    }

    public PreprocessingSettings settings() {
        return settings;
    }

    /** Applies the switched-on steps to {@code text} and returns the result. */
    public String apply(String text) {
        Objects.requireNonNull(text, "text");
        if (analyzer != null) {
            return joinWords(text);
        }

        String result = text;
        if (settings.lowercase()) {
            result = result.toLowerCase(Locale.ROOT);
        }
        if (settings.removeDigits()) {
            result = DIGITS.matcher(result).replaceAll("");
        }
        if (settings.normalizeWhitespace()) {
            result = WHITESPACE.matcher(result).replaceAll(" ").strip();
        }
        return result;
    }

    private String joinWords(String text) {
        StringBuilder joined = new StringBuilder(text.length());
        try (TokenStream words = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = words.addAttribute(CharTermAttribute.class);
            words.reset();
            while (words.incrementToken()) {
                if (!joined.isEmpty()) {
                    joined.append(' ');
                }
                joined.append(term.buffer(), 0, term.length());
            }
            words.end();
        } catch (IOException e) {
            // The analyzer reads from a String, so an IOException here means a broken filter chain.
            throw new UncheckedIOException("Failed to split text into words", e);
        }
        return joined.toString();
    }

    @Override
    public void close() {
        if (analyzer != null) {
            analyzer.close();
        }
    }

    /** The Lucene filter chain for the steps that work on single words. */
    private static final class WordAnalyzer extends Analyzer {

        private final PreprocessingSettings settings;

        WordAnalyzer(PreprocessingSettings settings) {
            this.settings = settings;
        }

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer tokenizer = new StandardTokenizer();
            TokenStream stream = tokenizer;
            if (settings.lowercase()) {
                stream = new LowerCaseFilter(stream);
            }
            if (settings.removeStopWords()) {
                stream = new StopFilter(stream, STOP_WORDS);
            }
            if (settings.removeDigits()) {
                stream = new PatternReplaceFilter(stream, DIGITS, "", true);
                stream = new LengthFilter(stream, 1, Integer.MAX_VALUE);
            }
            stream = switch (settings.stemmer()) {
                case NONE -> stream;
                case PORTER -> new PorterStemFilter(stream);
                case SNOWBALL_ENGLISH -> new SnowballFilter(stream, new EnglishStemmer());
            };
            return new TokenStreamComponents(tokenizer, stream);
        }
    }
}
