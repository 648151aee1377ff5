package dev.quarry.embedding.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * {@code quarry.embedding.batch.*}: what one batch may hold and how long its results stay. {@code maxItems}
 * (10,000), {@code maxTextChars} per text (32,768, about 8,000 word pieces, OpenAI's input limit) and
 * {@code maxRequestSize} of the whole JSON body (8 MB) keep a batch to minutes of the in-process model and its
 * texts to a few megabytes in memory, where the worker holds them while it runs. {@code ttl}: how long the
 * results stay downloadable once complete (7 days, as exports), after which the retention sweep deletes them.
 */
@ConfigurationProperties("quarry.embedding.batch")
public record EmbeddingBatchProperties(Integer maxItems, Integer maxTextChars, DataSize maxRequestSize, Duration ttl) {

    public EmbeddingBatchProperties {
        maxItems = maxItems == null ? 10_000 : maxItems;
        maxTextChars = maxTextChars == null ? 32_768 : maxTextChars;
        maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(8) : maxRequestSize;
        ttl = ttl == null ? Duration.ofDays(7) : ttl;
        if (maxItems < 1) throw new IllegalArgumentException("quarry.embedding.batch.max-items must be at least 1");
        if (maxTextChars < 1) throw new IllegalArgumentException("quarry.embedding.batch.max-text-chars must be at least 1");
        if (maxRequestSize.toBytes() < 1024 || maxRequestSize.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("quarry.embedding.batch.max-request-size must be 1KB to 2GB");
        }
    }

    /** The largest body the API reads for a batch. */
    public int maxRequestBytes() {
        return (int) maxRequestSize.toBytes();
    }

    /** What a client is told when its body is over {@link #maxRequestBytes()}. */
    public String bodyTooLarge() {
        return "a batch's JSON body is limited to " + maxRequestBytes()
                + " bytes (quarry.embedding.batch.max-request-size); split it into several batches";
    }
}
