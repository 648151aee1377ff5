package dev.quarry.worker.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code quarry.ingest.*}: how documents are cut and embedded ({@code model-batch-size}, the segments per
 * coalesced model call, is read by the common embedder's batcher).
 *
 * @param chunkMaxTokens      word pieces per chunk, special tokens excluded. all-MiniLM-L6-v2 reads 256 word
 *                            pieces including [CLS] and [SEP]; 240 leaves room for both and for the rare
 *                            chunk whose joined parts tokenize a little longer than their sum
 * @param chunkOverlapTokens  word pieces repeated from the end of one chunk at the start of the next
 * @param embedBatchSize      segments per embedding request of one job, and per progress event
 * @param embedTimeout        how long a job waits for its embeddings before the attempt counts as failed
 * @param progressFlushInterval progress events closer together than this are committed together
 */
@ConfigurationProperties("quarry.ingest")
record IngestProperties(Integer chunkMaxTokens, Integer chunkOverlapTokens, Integer embedBatchSize,
                        Duration embedTimeout, Duration progressFlushInterval) {

    IngestProperties {
        chunkMaxTokens = chunkMaxTokens == null ? 240 : chunkMaxTokens;
        chunkOverlapTokens = chunkOverlapTokens == null ? 40 : chunkOverlapTokens;
        embedBatchSize = embedBatchSize == null ? 32 : embedBatchSize;
        embedTimeout = embedTimeout == null ? Duration.ofMinutes(5) : embedTimeout;
        progressFlushInterval = progressFlushInterval == null ? Duration.ofSeconds(1) : progressFlushInterval;
        if (chunkOverlapTokens >= chunkMaxTokens) {
            throw new IllegalArgumentException("quarry.ingest.chunk-overlap-tokens must be below chunk-max-tokens");
        }
    }
}
