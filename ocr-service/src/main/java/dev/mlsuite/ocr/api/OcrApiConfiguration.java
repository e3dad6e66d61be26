package dev.mlsuite.ocr.api;

import ai.djl.ndarray.NDManager;
import dev.mlsuite.ocr.model.DocumentQaModel;
import dev.mlsuite.ocr.persistence.DocumentQuestionRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Loads the document QA model once at start-up and wires the endpoints' collaborators. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OcrProperties.class)
public class OcrApiConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OcrApiConfiguration.class);

    /**
     * Loads the model from {@code ocr.model-directory}.
     *
     * <p>NOTE: the model is loaded here rather than through the starter's model registry and
     * micro-batcher, so it is not part of the readiness probe and requests run one by one per thread.
     */
    @Bean(destroyMethod = "close")
    public DocumentQaModel documentQaModel(OcrProperties properties) {
        Path directory = properties.modelDirectory();
        long start = System.nanoTime();
        try {
            DocumentQaModel model = DocumentQaModel.load(directory, NDManager.newBaseManager());
            log.info("Loaded document QA model from {} ({} parameters, cpu) in {} ms", directory.toAbsolutePath(),
                    model.parameterCount(), (System.nanoTime() - start) / 1_000_000);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to load the document QA model from " + directory.toAbsolutePath()
                    + "; set ocr.model-directory to a folder with config.json and model.safetensors", e);
        }
    }

    @Bean
    public DocumentQuestionRepository documentQuestionRepository(JdbcTemplate jdbc) {
        return new DocumentQuestionRepository(jdbc);
    }

    @Bean
    public DocumentQaService documentQaService(DocumentQaModel model, DocumentQuestionRepository repository,
            OcrProperties properties) {
        NDManager manager = model.parameters().values().iterator().next().getManager();
        return new DocumentQaService(model, manager, "textmonkey-mini@" + properties.modelDirectory().getFileName(),
                repository);
    }

    @Bean
    public DocumentDecoder documentDecoder(OcrProperties properties) {
        return new DocumentDecoder(properties);
    }

    @Bean
    public DocumentQuestionsJobHandler documentQuestionsJobHandler(DocumentQaService service, DocumentDecoder decoder,
            OcrProperties properties) {
        return new DocumentQuestionsJobHandler(service, decoder, properties);
    }
}
