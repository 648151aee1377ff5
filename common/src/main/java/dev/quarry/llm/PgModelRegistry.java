package dev.quarry.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The model registry, the owner of {@code language_models} and of the tenants' chosen models
 * ({@code tenant_model_defaults}): which models may be used, their configuration, and the live stats
 * {@link ModelStats} records. Reads go to the table every time (a registry change holds at once in every
 * process); a chat answer costs a primary-key read or two for it.
 */
@Component
public class PgModelRegistry {
    private static final String COLUMNS = """
            provider, model, config::text, enabled, created_at, updated_at, calls, failures, input_tokens,
            output_tokens,
            (select percentile_cont(0.5) within group (order by l) from unnest(recent_latency_ms) l),
            (select percentile_cont(0.95) within group (order by l) from unnest(recent_latency_ms) l),
            last_used_at, last_error""";
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public PgModelRegistry(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Whether the model was created or an existing one changed, and the row as it is now. */
    public record Registration(RegisteredModel model, boolean created) {
    }

    public List<RegisteredModel> list() {
        return jdbc.sql("select " + COLUMNS + " from language_models order by provider, model")
                .query(this::row).list();
    }

    public Optional<RegisteredModel> find(String provider, String model) {
        return jdbc.sql("select " + COLUMNS + " from language_models where provider = :provider and model = :model")
                .param("provider", provider).param("model", model).query(this::row).optional();
    }

    /** Registers the model, or replaces its configuration and enabled flag; its stats are kept. */
    public Registration register(String provider, String model, JsonNode config, boolean enabled) {
        boolean created = jdbc.sql("""
                        insert into language_models (provider, model, config, enabled)
                        values (:provider, :model, cast(:config as jsonb), :enabled)
                        on conflict (provider, model) do update set config = excluded.config,
                            enabled = excluded.enabled, updated_at = now()
                        returning (xmax = 0)""")
                .param("provider", provider).param("model", model).param("config", text(config))
                .param("enabled", enabled).query(Boolean.class).single();
        return new Registration(find(provider, model).orElseThrow(), created);
    }

    /** @return false when no such model is registered */
    public boolean disable(String provider, String model) {
        return jdbc.sql("""
                        update language_models set enabled = false, updated_at = now()
                        where provider = :provider and model = :model""")
                .param("provider", provider).param("model", model).update() == 1;
    }

    /** A tenant's chosen model, set by its admins. */
    public record TenantDefault(String tenant, String provider, String model, Instant updatedAt) {
    }

    /** The model a tenant's admins chose for it, if they did. */
    public Optional<TenantDefault> tenantDefault(String tenant) {
        return jdbc.sql("select tenant_id, provider, model, updated_at from tenant_model_defaults "
                        + "where tenant_id = :tenant")
                .param("tenant", tenant)
                .query((rs, row) -> new TenantDefault(rs.getString(1), rs.getString(2), rs.getString(3),
                        instant(rs.getTimestamp(4))))
                .optional();
    }

    /** Chooses the tenant's model; the caller has checked that it is registered, enabled and configured. */
    public TenantDefault chooseTenantDefault(String tenant, String provider, String model) {
        jdbc.sql("""
                        insert into tenant_model_defaults (tenant_id, provider, model) values (:tenant, :provider, :model)
                        on conflict (tenant_id) do update set provider = excluded.provider, model = excluded.model,
                            updated_at = now()""")
                .param("tenant", tenant).param("provider", provider).param("model", model).update();
        return tenantDefault(tenant).orElseThrow();
    }

    /** @return false when the tenant had no chosen model */
    public boolean clearTenantDefault(String tenant) {
        return jdbc.sql("delete from tenant_model_defaults where tenant_id = :tenant").param("tenant", tenant)
                .update() == 1;
    }

    void recordSuccess(String provider, String model, long latencyMs, long inputTokens, long outputTokens,
                       int window) {
        jdbc.sql("""
                        update language_models set calls = calls + 1, input_tokens = input_tokens + :input,
                            output_tokens = output_tokens + :output,
                            recent_latency_ms = (recent_latency_ms || cast(:latency as integer))
                                [greatest(1, cardinality(recent_latency_ms) + 2 - :window):],
                            last_used_at = now()
                        where provider = :provider and model = :model""")
                .param("input", inputTokens).param("output", outputTokens)
                .param("latency", (int) Math.min(Integer.MAX_VALUE, latencyMs)).param("window", window)
                .param("provider", provider).param("model", model).update();
    }

    void recordFailure(String provider, String model, String error) {
        jdbc.sql("""
                        update language_models set calls = calls + 1, failures = failures + 1, last_used_at = now(),
                            last_error = :error
                        where provider = :provider and model = :model""")
                .param("error", error).param("provider", provider).param("model", model).update();
    }

    private RegisteredModel row(ResultSet rs, int row) throws SQLException {
        long calls = rs.getLong(7);
        long failures = rs.getLong(8);
        RegisteredModel.Stats stats = new RegisteredModel.Stats(calls, failures,
                calls == 0 ? 0 : (double) failures / calls, rs.getLong(9), rs.getLong(10),
                (Double) rs.getObject(11), (Double) rs.getObject(12), instant(rs.getTimestamp(13)), rs.getString(14));
        return new RegisteredModel(rs.getString(1), rs.getString(2), parse(rs.getString(3)), rs.getBoolean(4),
                instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), stats);
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("language_models.config is not JSON", e);
        }
    }

    private String text(JsonNode config) {
        return config == null || config.isNull() ? "{}" : config.toString();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
