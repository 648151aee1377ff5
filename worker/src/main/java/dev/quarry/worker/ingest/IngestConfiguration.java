package dev.quarry.worker.ingest;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.usage.EmbeddingUsageRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * Wires the ingest pipeline. The expensive pieces (Tika's parser registry, the word-piece vocabulary, the
 * embedding batcher's thread) are built once here and shared by every job.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
class IngestConfiguration {
    private static final Logger log = LoggerFactory.getLogger(IngestConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddingBatcher embeddingBatcher(EmbeddingModel configured, IngestProperties properties, MeterRegistry meters) {
        EmbeddingModel model = PerCoreOnnxEmbeddingModel.of(configured).orElse(configured);
        log.info("ingest embeds with {}", model.getClass().getSimpleName());
        return new EmbeddingBatcher(model, properties.modelBatchSize(), meters);
    }

    @Bean
    TextChunker textChunker(IngestProperties properties) {
        return new TextChunker(new WordPieceTokenCountEstimator(), properties.chunkMaxTokens(),
                properties.chunkOverlapTokens());
    }

    @Bean
    IngestPipeline ingestPipeline(PgDocumentStore documents, PgChunkStore chunks, PgCheckpoints checkpoints,
                                  TextChunker chunker, EmbeddingBatcher batcher, PgEmbeddingCache embeddingCache,
                                  EmbeddingVersion version, IngestProperties properties,
                                  EmbeddingUsageRecorder usage, MeterRegistry meters) {
        return new IngestPipeline(List.of(
                new ExtractStep(documents, new TikaTextExtractor(new AutoDetectParser())),
                // Normalize before scrubbing: NFKC turns fullwidth digits and odd spaces into the plain
                // characters the PII patterns look for.
                new NormalizeStep(new TextNormalizer()),
                new ScrubStep(new PiiScrubber(), checkpoints),
                new ChunkStep(chunker),
                new EmbedStep(batcher, embeddingCache, version.tag(), version.dimensions(), properties, usage, meters),
                new StoreStep(chunks, checkpoints, version.tag())),
                checkpoints, meters);
    }
}
