package dev.quarry.search;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FusionTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private static final Map<String, Duration> HALF_LIVES = Map.of("news", Duration.ofDays(30));

    private static LegHit hit(long id, int rank, String reliability, Instant dated, String collection) {
        return new LegHit(id, new UUID(0, id), 1.0 / rank, rank, reliability, dated, collection);
    }

    @Test
    void weighted_reciprocal_ranks_add_up_across_legs() {
        var keyword = List.of(hit(1, 1, "unknown", NOW, "default"), hit(2, 2, "unknown", NOW, "default"));
        var vector = List.of(hit(2, 1, "unknown", NOW, "default"), hit(3, 2, "unknown", NOW, "default"));

        List<FusedHit> fused = Fusion.fuse(keyword, vector, new FusionWeights(2, 1, 10, null, Map.of()), HALF_LIVES,
                NOW, 10);

        assertThat(fused).extracting(FusedHit::chunkId).containsExactly(2L, 1L, 3L);
        assertThat(fused.get(0).fusedScore()).isCloseTo(2.0 / 12 + 1.0 / 11, within(1e-12));
        assertThat(fused.get(0).keywordRank()).isEqualTo(2);
        assertThat(fused.get(2).keywordRank()).isNull();
    }

    @Test
    void decay_halves_the_score_every_half_life_and_ignores_future_dates() {
        assertThat(Fusion.decay(Duration.ofDays(10), NOW.minus(Duration.ofDays(20)), NOW))
                .isCloseTo(0.25, within(1e-12));
        assertThat(Fusion.decay(Duration.ofDays(10), NOW.plus(Duration.ofDays(5)), NOW)).isEqualTo(1.0);
        assertThat(Fusion.decay(Duration.ZERO, NOW.minus(Duration.ofDays(5)), NOW)).isEqualTo(1.0);
    }

    @Test
    void the_request_half_life_overrides_the_collection_default_and_boosts_multiply() {
        var keyword = List.of(hit(1, 1, "community", NOW.minus(Duration.ofDays(30)), "news"),
                hit(2, 2, "verified", NOW.minus(Duration.ofDays(30)), "news"));

        var byCollection = Fusion.fuse(keyword, List.of(), new FusionWeights(1, 1, 0, null, Map.of()), HALF_LIVES,
                NOW, 10);
        assertThat(byCollection.get(0).decay()).isCloseTo(0.5, within(1e-12));
        var off = Fusion.fuse(keyword, List.of(), new FusionWeights(1, 1, 0, Duration.ZERO, Map.of()), HALF_LIVES,
                NOW, 10);
        assertThat(off.get(0).decay()).isEqualTo(1.0);
        var boosted = Fusion.fuse(keyword, List.of(),
                new FusionWeights(1, 1, 0, Duration.ZERO, Map.of("verified", 3.0)), HALF_LIVES, NOW, 1);
        assertThat(boosted).extracting(FusedHit::chunkId).containsExactly(2L);
        assertThat(boosted.get(0).score()).isCloseTo(1.5, within(1e-12));
    }
}
