package dev.quarry.search;

import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.usage.EmbeddingUsageLedger;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bills the embedding of search queries to their tenant's usage. Summed in memory and written every few
 * seconds (and at shutdown), because an upsert per query would make every search of a tenant queue on that
 * tenant's one usage row of the day. A crash loses at most one interval's query usage. Query tokens are
 * estimated as characters / 4, as the OpenAI client's rate limiter does.
 */
@Component
public class QueryEmbeddingUsage {
    private static final Logger log = LoggerFactory.getLogger(QueryEmbeddingUsage.class);
    private final EmbeddingUsageLedger ledger;
    private final Map<Key, Totals> pending = new ConcurrentHashMap<>();

    QueryEmbeddingUsage(EmbeddingUsageLedger ledger) {
        this.ledger = ledger;
    }

    void embedded(String tenant, EmbeddingVersion version, String query) {
        Totals totals = pending.computeIfAbsent(new Key(tenant, version), key -> new Totals());
        totals.tokens.add(Math.max(1, (query.length() + 3) / 4));
        totals.calls.increment();
    }

    @Scheduled(fixedDelayString = "${quarry.search.usage-flush-interval:PT5S}")
    @PreDestroy
    public void flush() {
        pending.forEach((key, totals) -> {
            long calls = totals.calls.sumThenReset();
            long tokens = totals.tokens.sumThenReset();
            if (calls == 0) return;
            try {
                ledger.recorderFor(key.version().tag()).record(key.tenant(), tokens, (int) calls, (int) calls);
            } catch (RuntimeException e) {
                // Kept for the next flush: the database may be back by then.
                totals.calls.add(calls);
                totals.tokens.add(tokens);
                log.warn("query embedding usage not recorded yet: {}", e.toString());
            }
        });
    }

    private record Key(String tenant, EmbeddingVersion version) {
    }

    private static final class Totals {
        private final LongAdder tokens = new LongAdder();
        private final LongAdder calls = new LongAdder();
    }
}
