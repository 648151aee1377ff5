package dev.quarry.api.ratelimit;

import dev.quarry.api.ratelimit.RateLimitProperties.TierLimits;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tiers in force: the configured ones, overridden by what operators set at run time in
 * {@code rate_limit_tiers} (this class is that table's owner). Every instance rereads the table at most
 * every {@code quarry.rate-limit.tier-refresh}, so requests do not pay a query each.
 */
@Component
class PgRateLimitTiers {
    private final JdbcClient jdbc;
    private final RateLimitProperties properties;
    private final Clock clock;
    private volatile Snapshot snapshot;

    PgRateLimitTiers(JdbcClient jdbc, RateLimitProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    private record Snapshot(Map<String, Tier> tiers, long readAtMillis) {
    }

    /** The caller's tier; an unknown or missing claim gets the default tier. */
    Tier of(String claimed) {
        Map<String, Tier> tiers = tiers();
        Tier tier = claimed == null ? null : tiers.get(claimed);
        if (tier != null) return tier;
        Tier fallback = tiers.get(properties.defaultTier());
        if (fallback == null) {
            throw new IllegalStateException("quarry.rate-limit.default-tier " + properties.defaultTier()
                    + " is not a configured tier");
        }
        return fallback;
    }

    Map<String, Tier> tiers() {
        Snapshot current = snapshot;
        long now = clock.millis();
        if (current == null || now - current.readAtMillis() >= properties.tierRefresh().toMillis()) {
            current = new Snapshot(read(), now);
            snapshot = current;
        }
        return current.tiers();
    }

    /** Sets a tier's limits for every instance (each sees it within the refresh period); returns it. */
    Tier update(String name, TierLimits limits) {
        Tier tier = jdbc.sql("""
                        insert into rate_limit_tiers (tier, user_per_window, tenant_per_window, version)
                        values (:tier, :user, :tenant, 1)
                        on conflict (tier) do update set user_per_window = excluded.user_per_window,
                            tenant_per_window = excluded.tenant_per_window,
                            version = rate_limit_tiers.version + 1, updated_at = now()
                        returning tier, user_per_window, tenant_per_window, version""")
                .param("tier", name).param("user", limits.user()).param("tenant", limits.tenant())
                .query((rs, row) -> new Tier(rs.getString(1), new TierLimits(rs.getLong(2), rs.getLong(3)),
                        rs.getLong(4)))
                .single();
        snapshot = null;
        return tier;
    }

    Optional<Tier> find(String name) {
        return Optional.ofNullable(tiers().get(name));
    }

    private Map<String, Tier> read() {
        Map<String, Tier> tiers = new LinkedHashMap<>();
        properties.tiers().forEach((name, limits) -> tiers.put(name, new Tier(name, limits, 0)));
        jdbc.sql("select tier, user_per_window, tenant_per_window, version from rate_limit_tiers order by tier")
                .query((rs, row) -> new Tier(rs.getString(1), new TierLimits(rs.getLong(2), rs.getLong(3)),
                        rs.getLong(4)))
                .list()
                .forEach(tier -> tiers.put(tier.name(), tier));
        return Map.copyOf(tiers);
    }
}
