package dev.quarry.embedding.usage;

import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;

/**
 * Adds one job's embedding work to its tenant's usage of the day (UTC) in {@code embedding_usage}: tokens,
 * segments, calls and their cost at the configured price of this process's model. Called once per embedding
 * of a job, after the vectors came back, because the shared model calls ({@code EmbeddingBatcher}) mix
 * tenants and only the job knows whose segments they were. An attempt that is retried embeds, and is billed,
 * again: the usage counts what the provider was asked to do.
 */
public class EmbeddingUsageRecorder {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private final JdbcTemplate jdbc;
    private final String model;
    private final String version;
    private final BigDecimal pricePerMillionTokens;
    private final Clock clock;

    public EmbeddingUsageRecorder(JdbcTemplate jdbc, String model, String version, BigDecimal pricePerMillionTokens,
                                  Clock clock) {
        this.jdbc = jdbc;
        this.model = model;
        this.version = version;
        this.pricePerMillionTokens = pricePerMillionTokens;
        this.clock = clock;
    }

    /** One upsert; it fails (and so fails the attempt) only when the database does. */
    public void record(String tenantId, long tokens, int segments, int calls) {
        if (segments == 0) return;
        jdbc.update("""
                insert into embedding_usage (tenant_id, day, model, version, tokens, segments, calls, cost_usd)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (tenant_id, day, model, version) do update set
                    tokens = embedding_usage.tokens + excluded.tokens,
                    segments = embedding_usage.segments + excluded.segments,
                    calls = embedding_usage.calls + excluded.calls,
                    cost_usd = embedding_usage.cost_usd + excluded.cost_usd,
                    updated_at = now()
                """, tenantId, Date.valueOf(LocalDate.now(clock)), model, version, tokens, segments, calls,
                cost(tokens));
    }

    /** What {@code tokens} cost at this model's price: budgets estimate a request's cost with it. */
    public BigDecimal cost(long tokens) {
        return pricePerMillionTokens.multiply(BigDecimal.valueOf(tokens)).divide(MILLION, 10, RoundingMode.HALF_UP);
    }

    public String model() {
        return model;
    }
}
