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
 * @param chunkMaxChars       characters per chunk, whatever their word pieces: a word over 100 characters
 *                            is one [UNK] piece, so only this bounds a chunk of base64 or minified code.
 *                            2000 is well above the ~1200 characters of 240 pieces of prose, so it only
 *                            cuts what the token window cannot
 * @param extractMaxChars     characters of text one document may extract to (see {@link ExtractionLimits})
 * @param extractTimeout      how long one document's extraction may take
 * @param extractMaxCsvColumns columns a CSV's first row may have
 * @param embedBatchSize      segments per embedding request of one job, and per progress event
 * @param embedTimeout        how long a job waits for its embeddings before the attempt counts as failed
 * @param progressFlushInterval progress events closer together than this are committed together
 * @param ocr                 {@code quarry.ingest.ocr.enabled} and {@code .max-pages} (see {@link OcrSettings});
 *                            on by default, with at most 50 pages OCR'd per document
 */
@ConfigurationProperties("quarry.ingest")
record IngestProperties(Integer chunkMaxTokens, Integer chunkOverlapTokens, Integer chunkMaxChars,
                        Integer extractMaxChars, Duration extractTimeout, Integer extractMaxCsvColumns, Integer embedBatchSize,
                        Duration embedTimeout, Duration progressFlushInterval, Ocr ocr) {

    record Ocr(Boolean enabled, Integer maxPages) {
        Ocr {
            enabled = enabled == null || enabled;
            maxPages = maxPages == null ? 50 : maxPages;
        }
    }

    IngestProperties {
        chunkMaxTokens = chunkMaxTokens == null ? 240 : chunkMaxTokens;
        chunkOverlapTokens = chunkOverlapTokens == null ? 40 : chunkOverlapTokens;
        chunkMaxChars = chunkMaxChars == null ? 2000 : chunkMaxChars;
        extractMaxChars = extractMaxChars == null ? ExtractionLimits.DEFAULT.maxChars() : extractMaxChars;
        extractTimeout = extractTimeout == null ? ExtractionLimits.DEFAULT.timeout() : extractTimeout;
        extractMaxCsvColumns = extractMaxCsvColumns == null ? ExtractionLimits.DEFAULT.maxColumns() : extractMaxCsvColumns;
        embedBatchSize = embedBatchSize == null ? 32 : embedBatchSize;
        embedTimeout = embedTimeout == null ? Duration.ofMinutes(5) : embedTimeout;
        progressFlushInterval = progressFlushInterval == null ? Duration.ofSeconds(1) : progressFlushInterval;
        ocr = ocr == null ? new Ocr(null, null) : ocr;
        if (chunkOverlapTokens >= chunkMaxTokens) {
            throw new IllegalArgumentException("quarry.ingest.chunk-overlap-tokens must be below chunk-max-tokens");
        }
    }

    OcrSettings ocrSettings() {
        return new OcrSettings(ocr.enabled(), ocr.maxPages());
    }

    ExtractionLimits extractionLimits() {
        return new ExtractionLimits(extractMaxChars, extractTimeout, extractMaxCsvColumns);
    }
}
