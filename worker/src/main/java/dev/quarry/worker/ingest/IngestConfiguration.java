package dev.quarry.worker.ingest;

import dev.quarry.chunks.PgChunkStore;
import dev.quarry.documents.PgDocumentStore;
import dev.quarry.documents.PgDocumentTexts;
import dev.quarry.embedding.Embedder;
import dev.quarry.embedding.EmbeddingVersion;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.apache.tika.parser.AutoDetectParser;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * Wires the ingest pipeline. The expensive pieces (Tika's parser registry, the word-piece vocabulary) are
 * built once here and shared by every job; the embedder (and its batcher's thread) is common's, shared with
 * reindex.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
class IngestConfiguration {

    @Bean
    WordPieceTokenCountEstimator wordPieces() {
        return new WordPieceTokenCountEstimator();
    }

    @Bean
    TextChunker textChunker(WordPieceTokenCountEstimator wordPieces, IngestProperties properties) {
        return new TextChunker(wordPieces, properties.chunkMaxTokens(), properties.chunkOverlapTokens(),
                properties.chunkMaxChars());
    }

    @Bean
    TableChunker tableChunker(WordPieceTokenCountEstimator wordPieces, TextChunker textChunker, IngestProperties properties) {
        return new TableChunker(wordPieces, textChunker, properties.chunkMaxTokens(), properties.chunkMaxChars());
    }

    @Bean
    IngestPipeline ingestPipeline(PgDocumentStore documents, PgDocumentTexts texts, PgChunkStore chunks,
                                  PgCheckpoints checkpoints, TextChunker chunker, TableChunker tables, Embedder embedder,
                                  EmbeddingVersion version, IngestProperties properties, MeterRegistry meters,
                                  ObjectProvider<Tracer> tracer) {
        Tracer spans = tracer.getIfAvailable(() -> Tracer.NOOP);
        return new IngestPipeline(List.of(
                new ExtractStep(documents, new TikaTextExtractor(new AutoDetectParser(),
                        properties.extractionLimits(), properties.ocrSettings())),
                // Normalize before scrubbing: NFKC turns fullwidth digits and odd spaces into the plain
                // characters the PII patterns look for.
                new NormalizeStep(new TextNormalizer()),
                new ScrubStep(new PiiScrubber(), checkpoints, texts),
                new ChunkStep(chunker, tables),
                new EmbedStep(embedder, version, properties),
                new StoreStep(documents, chunks, checkpoints, version.tag(), spans)),
                checkpoints, meters, spans);
    }
}
